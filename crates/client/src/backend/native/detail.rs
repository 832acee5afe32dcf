//! The contact panels on the native API: the four reads carry the version of the contact's panels
//! together (`Contact-Version`, docs/api.md), which is the contact's entity tag, so panels cached at one
//! version are revalidated with one conditional read of the contact.

use super::NativeBackend;
use super::http::envelope_data;
use super::wire::{WireComment, WireContact, WireFile, item, page};
use crate::backend::detail::COMMENTS_SHOWN;
use crate::backend::{BackendResult, DetailParts, Listed};
use crate::domain::{Clean, SessionData};
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

/// The header that carries the version of a contact's panels together (docs/api.md).
const CONTACT_VERSION: &str = "contact-version";

fn enc(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

impl NativeBackend {
    /// GET `path` with `query`, answering its data and the contact's panel version it was read at.
    async fn tagged(&self, path: &str, query: &[(&str, String)]) -> BackendResult<(Value, Option<String>)> {
        let resp = self.http.send(self.http.build(Method::GET, path).query(query)).await?;
        let tag = resp.headers().get(CONTACT_VERSION).and_then(|v| v.to_str().ok()).map(String::from);
        Ok((envelope_data(resp).await?, tag))
    }

    /// The panels of `contact_id`; with `version`, "unchanged" when the server's tag is still that one.
    pub(super) async fn panels(
        &self,
        contact_id: &str,
        version: Option<&str>,
    ) -> BackendResult<Listed<Box<DetailParts>>> {
        let base = format!("/api/contacts/{}", enc(contact_id));
        if let Some(v) = version {
            let resp = self.http.send(self.http.build(Method::GET, &base).header(header::IF_NONE_MATCH, v)).await?;
            if resp.status() == StatusCode::NOT_MODIFIED {
                return Ok(Listed::Unchanged);
            }
            // Changed: all four are read again, so every part is of one version.
        }
        let comments_query = [("page", COMMENTS_SHOWN.page.to_string()), ("limit", COMMENTS_SHOWN.limit.to_string())];
        let session_path = format!("{base}/session-data");
        let comments_path = format!("{base}/comments");
        let files_path = format!("{base}/files");
        let (contact, session, comments, files) = futures::join!(
            self.tagged(&base, &[]),
            self.tagged(&session_path, &[]),
            self.tagged(&comments_path, &comments_query),
            self.tagged(&files_path, &[]),
        );
        let tags = [&contact, &session, &comments, &files].map(|r| r.as_ref().ok().and_then(|(_, t)| t.clone()));
        // One version only when all four were read at the same one: a change between two reads leaves none.
        let version = match &tags {
            [Some(a), rest @ ..] if rest.iter().all(|t| t.as_ref() == Some(a)) => Some(Clean::new(a)),
            _ => None,
        };
        let parts = DetailParts {
            version,
            contact: contact.and_then(|(v, _)| item(v, WireContact::into_domain)),
            session: session.map(|(v, _)| SessionData::from_value(&v)),
            comments: comments.and_then(|(v, _)| page(v, WireComment::into_domain)).map(|p| p.items),
            files: files.and_then(|(v, _)| page(v, WireFile::into_domain)).map(|p| p.items),
        };
        let passing = [parts.contact.as_ref().err(), parts.session.as_ref().err(), parts.comments.as_ref().err()]
            .into_iter()
            .chain([parts.files.as_ref().err()])
            .flatten()
            .find(|e| e.is_transient())
            .cloned();
        match passing {
            Some(e) => Err(e),
            None => Ok(Listed::Fresh(Box::new(parts))),
        }
    }
}
