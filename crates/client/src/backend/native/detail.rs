//! The contact panels on the native API: the four reads carry the version of the contact's panels
//! together (`Contact-Version`, docs/api.md), which is the contact's entity tag, so panels cached at one
//! version are revalidated with one conditional read of the contact.

use super::http::envelope_data;
use super::wire::{WireComment, WireContact, WireFile, item, page};
use super::{NativeBackend, enc};
use crate::backend::detail::COMMENTS_SHOWN;
use crate::backend::{BackendResult, DetailParts, Listed};
use crate::domain::{Clean, SessionData};
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

/// The header that carries the version of a contact's panels together (docs/api.md).
const CONTACT_VERSION: &str = "contact-version";

impl NativeBackend {
    /// Reads an answer's data and the contact's panel version it was read at.
    async fn tagged(resp: reqwest::Response) -> BackendResult<(Value, Option<String>)> {
        let tag = resp.headers().get(CONTACT_VERSION).and_then(|v| v.to_str().ok()).map(String::from);
        Ok((envelope_data(resp).await?, tag))
    }

    /// GET `path` with `query` (and `If-None-Match: version` when given).
    async fn read(
        &self,
        path: &str,
        query: &[(&str, String)],
        version: Option<&str>,
    ) -> BackendResult<reqwest::Response> {
        let mut req = self.http.build(Method::GET, path).query(query);
        if let Some(v) = version {
            req = req.header(header::IF_NONE_MATCH, v);
        }
        self.http.send(req).await
    }

    /// The panels of `contact_id`; with `version`, "unchanged" when the server's version is still that one.
    pub(super) async fn panels(
        &self,
        contact_id: &str,
        version: Option<&str>,
    ) -> BackendResult<Listed<Box<DetailParts>>> {
        let base = format!("/api/contacts/{}", enc(contact_id));
        // With a version, the contact is read first and alone: unchanged, nothing else is asked; changed, its
        // answer is the contact part and the other three follow.
        let checked = match version {
            Some(v) => {
                let resp = self.read(&base, &[], Some(v)).await?;
                if resp.status() == StatusCode::NOT_MODIFIED {
                    return Ok(Listed::Unchanged);
                }
                Some(resp)
            }
            None => None,
        };
        let comments_query = [("page", COMMENTS_SHOWN.page.to_string()), ("limit", COMMENTS_SHOWN.limit.to_string())];
        let session_path = format!("{base}/session-data");
        let comments_path = format!("{base}/comments");
        let files_path = format!("{base}/files");
        let contact = async {
            match checked {
                Some(resp) => Self::tagged(resp).await,
                None => Self::tagged(self.read(&base, &[], None).await?).await,
            }
        };
        let (contact, session, comments, files) = futures::join!(
            contact,
            async { Self::tagged(self.read(&session_path, &[], None).await?).await },
            async { Self::tagged(self.read(&comments_path, &comments_query, None).await?).await },
            async { Self::tagged(self.read(&files_path, &[], None).await?).await },
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
        let passing = parts.passing_failure();
        match passing {
            Some(e) => Err(e),
            None => Ok(Listed::Fresh(Box::new(parts))),
        }
    }
}
