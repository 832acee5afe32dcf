//! What tinbox keeps on disk: drafts and the offline cache, each under its owner (server and agent).

pub mod cache;
pub mod drafts;
pub mod files;
pub mod owner;
