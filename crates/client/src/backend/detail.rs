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
    let parts = DetailParts { version: None, contact, session, comments, files };
    match parts.passing_failure() {
        Some(e) => Err(e),
        None => Ok(parts),
    }
}
