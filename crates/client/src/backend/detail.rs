//! A contact's panels read together: the contact, its session, comments and files, at once.

use super::{Backend, BackendResult, PageReq};
use crate::domain::Capability;
use tinbox_core::protocol::DetailParts;

/// The comments shown in the contact panel.
pub const COMMENTS_SHOWN: PageReq = PageReq { page: 1, limit: 50 };

/// Reads the four parts at once. What the server cannot list is empty, never an error; a passing failure
/// of any part fails the whole (it is asked again, all four being reads); a refusal stays with its part.
pub async fn read_parts<B: Backend + ?Sized>(backend: &B, contact_id: &str) -> BackendResult<DetailParts> {
    let unavailable = backend.unavailable();
    let comments = async {
        if unavailable.contains(&Capability::Comments) {
            return Ok(vec![]);
        }
        backend.comments(contact_id, COMMENTS_SHOWN).await.map(|p| p.items)
    };
    let files = async {
        if unavailable.contains(&Capability::Files) {
            return Ok(vec![]);
        }
        backend.files(contact_id).await
    };
    let (contact, session, comments, files) =
        futures::join!(backend.contact(contact_id), backend.session_data(contact_id), comments, files);
    let passing = [contact.as_ref().err(), session.as_ref().err(), comments.as_ref().err(), files.as_ref().err()]
        .into_iter()
        .flatten()
        .find(|e| e.is_transient())
        .cloned();
    if let Some(e) = passing {
        return Err(e);
    }
    Ok(DetailParts { version: None, contact, session, comments, files })
}
