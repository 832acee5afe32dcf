//! The contact panels' one request: a contact with its session, comments and files, read together so
//! they can be cached together and revalidated with one question.

use super::BackendError;
use crate::domain::{Comment, Contact, FileRef, SessionData};
use crate::text::Clean;

/// The four parts of a contact's panels, each read or failed on its own (one refused part hides no other).
#[derive(Debug, Clone, PartialEq)]
pub struct DetailParts {
    /// The server's version of all four together, when it gives one (the native API's entity tag, when
    /// the four answers carried the same one): asking with it may be answered "unchanged".
    pub version: Option<Clean>,
    /// The contact.
    pub contact: Result<Contact, BackendError>,
    /// The chatbot session (empty when there is none).
    pub session: Result<SessionData, BackendError>,
    /// The comments, newest first (empty where the server has none).
    pub comments: Result<Vec<Comment>, BackendError>,
    /// The files (empty where the server has none).
    pub files: Result<Vec<FileRef>, BackendError>,
}

impl DetailParts {
    /// The first passing failure among the parts (network, server, rate limit): the whole read is then asked
    /// again, all four being reads. A refusal stays with its part.
    pub fn passing_failure(&self) -> Option<BackendError> {
        let errors = [self.contact.as_ref().err(), self.session.as_ref().err(), self.comments.as_ref().err()];
        errors.into_iter().chain([self.files.as_ref().err()]).flatten().find(|e| e.is_transient()).cloned()
    }
}
