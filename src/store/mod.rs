//! What tinbox keeps on disk: drafts (and, later, the offline cache).

pub mod cache;
pub mod drafts;
mod files;
