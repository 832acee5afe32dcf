//! The imBrace backend (hosted): team conversations, messages, comments, contacts and notifications under
//! `{gateway}/channel-service/v1`, and who is who under `{gateway}/platform/v1`, as its SDKs and specs have
//! them (`shared/docs/imbrace.md`). No live stream: the worker polls. What the API has no call for is
//! declared unavailable.

mod inbox;
pub mod wire;

use crate::backend::native::http::{REQUEST_TIMEOUT, check, network_error};
use crate::backend::*;
use crate::domain::*;
use crate::secret::Secret;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use std::sync::{Arc, RwLock};

/// Speaks imBrace's channel-service and platform APIs.
#[derive(Debug, Clone)]
pub struct ImbraceBackend {
    client: reqwest::Client,
    gateway: String,
    key: Secret,
    organization: Option<String>,
    /// The signed-in agent, once known: messages from them are drawn as theirs.
    me: Arc<RwLock<Option<Agent>>>,
}

fn enc(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

/// A JWT: three dot-separated parts, the first starting `eyJ`.
fn is_jwt(token: &str) -> bool {
    token.starts_with("eyJ") && token.split('.').count() == 3
}

/// How a credential travels, as the SDKs send it: a JWT with an organisation as `Authorization: Bearer`, any
/// other token (`access:<token>`, or a JWT without an organisation) as `x-access-token`, an API key as
/// `x-api-key`; the organisation, when given, as `x-organization-id` alongside.
fn authorize(r: RequestBuilder, key: &Secret, organization: Option<&str>) -> RequestBuilder {
    let raw = key.expose();
    let token = raw.strip_prefix("access:").or_else(|| is_jwt(raw).then_some(raw));
    let r = match token {
        Some(t) if is_jwt(t) && organization.is_some() => r.bearer_auth(t),
        Some(t) => r.header("x-access-token", t),
        None => r.header("x-api-key", raw),
    };
    match organization {
        Some(org) => r.header("x-organization-id", org),
        None => r,
    }
}

impl ImbraceBackend {
    /// A backend for the gateway at `gateway`; see [`authorize`] for how `key` is sent.
    pub fn new(gateway: &str, key: Secret, organization: Option<String>) -> BackendResult<Self> {
        let client = crate::backend::net::client()?;
        let gateway = gateway.trim_end_matches('/').to_string();
        Ok(Self { client, gateway, key, organization, me: Arc::default() })
    }

    /// A request to the channel service (`path` starts with `/v1` or `/v2`).
    fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.at(method, &format!("{}/channel-service{path}", self.gateway))
    }

    fn at(&self, method: Method, url: &str) -> RequestBuilder {
        let r = self.client.request(method, url).timeout(REQUEST_TIMEOUT);
        authorize(r, &self.key, self.organization.as_deref())
    }

    async fn call(&self, r: RequestBuilder) -> BackendResult<Value> {
        let resp = check(r.send().await.map_err(network_error)?).await?;
        let bytes = crate::backend::net::read_body(resp).await?;
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        let v: Value = serde_json::from_slice(&crate::backend::repair::repair(&bytes))
            .map_err(|_| BackendError::BadResponse("not JSON".into()))?;
        // Action answers say {success: false, message} rather than using a status code.
        if v.get("success").and_then(Value::as_bool) == Some(false) {
            let why = v.get("message").and_then(Value::as_str).map(crate::text::clean_line).unwrap_or_default();
            return Err(BackendError::Invalid(if why.is_empty() { "the server said no".into() } else { why.into() }));
        }
        Ok(v)
    }

    async fn get(&self, path: &str, query: &[(&str, String)]) -> BackendResult<Value> {
        self.call(self.req(Method::GET, path).query(query)).await
    }

    async fn platform(&self, path: &str, query: &[(&str, String)]) -> BackendResult<Value> {
        self.call(self.at(Method::GET, &format!("{}/platform{path}", self.gateway)).query(query)).await
    }

    async fn post(&self, path: &str, body: Value) -> BackendResult<Value> {
        self.call(self.req(Method::POST, path).json(&body)).await
    }

    fn one<T>(v: &Value, map: impl Fn(&Value) -> Option<T>) -> BackendResult<T> {
        // Single objects come bare or under `data`.
        map(v.get("data").filter(|d| d.is_object()).unwrap_or(v))
            .ok_or_else(|| BackendError::BadResponse("unexpected shape".into()))
    }

    async fn page_of<T>(
        &self,
        path: &str,
        p: PageReq,
        extra: &[(&str, String)],
        map: impl Fn(&Value) -> Option<T>,
    ) -> BackendResult<Page<T>> {
        let skip = (p.page.max(1) - 1) * p.limit;
        let mut q = vec![("limit", p.limit.to_string()), ("skip", skip.to_string())];
        q.extend(extra.iter().cloned());
        wire::list(self.get(path, &q).await?, skip, p.limit, map)
    }

    /// The signed-in agent, reading `users/_me` the first time.
    async fn me_cached(&self) -> BackendResult<Agent> {
        match self.me.read().ok().and_then(|m| m.clone()) {
            Some(me) => Ok(me),
            None => Backend::me(self).await,
        }
    }

    /// The newest message of a conversation (by time: the list's order is not documented): a private note is a
    /// comment on it.
    async fn newest_message(&self, id: &str) -> BackendResult<Clean> {
        let q = [("conversation_id", id.to_string())];
        let at = |m: &Value| Some((wire::message_id(m)?, wire::message_time(m)));
        let page = self.page_of("/v1/conversation_messages", PageReq { page: 1, limit: 20 }, &q, at).await?;
        page.items.into_iter().max_by_key(|(_, t)| *t).map(|(id, _)| id).ok_or_else(|| {
            BackendError::Invalid("a note is a comment on a message, and this conversation has none yet".into())
        })
    }
}

#[async_trait::async_trait]
impl Backend for ImbraceBackend {
    fn kind(&self) -> &'static str {
        "imbrace"
    }

    fn statuses(&self) -> &'static [&'static str] {
        // imBrace's own: `resolved`, and no `closed`.
        &["open", "pending", "resolved", "archived"]
    }

    fn search_covers(&self) -> &'static str {
        "what imBrace's search covers"
    }

    fn unavailable(&self) -> &'static [Capability] {
        &[
            // No channel filter in its list query.
            Capability::ChannelFilter,
            Capability::Labels,
            Capability::Priority,
            Capability::ChatbotSession,
            Capability::MarkRead,
            Capability::ContactCreateDelete,
            Capability::Templates,
            Capability::CannedResponses,
        ]
    }

    async fn me(&self) -> BackendResult<Agent> {
        let me = Self::one(&self.platform("/v1/users/_me", &[]).await?, wire::user)?;
        if let Ok(mut slot) = self.me.write() {
            *slot = Some(me.clone());
        }
        Ok(me)
    }

    async fn agents(&self) -> BackendResult<Vec<Agent>> {
        let q = [("limit", "100".to_string()), ("skip", "0".to_string())];
        match self.platform("/v1/users", &q).await {
            Ok(v) => Ok(wire::list(v, 0, 100, wire::user)?.items),
            // The simple list of the organisation's users, where the paged one is refused.
            Err(BackendError::Forbidden(_) | BackendError::NotFound(_)) => {
                Ok(wire::list(self.platform("/v1/users/_all", &[]).await?, 0, 1000, wire::user)?.items)
            }
            Err(e) => Err(e),
        }
    }

    async fn conversations(
        &self,
        q: &ConversationQuery,
        _revalidate: bool,
    ) -> BackendResult<Listed<Page<Conversation>>> {
        inbox::conversations(self, q).await.map(Listed::Fresh)
    }

    async fn conversation(&self, id: &str) -> BackendResult<Conversation> {
        Self::one(&self.get(&format!("/v1/team_conversations/{}", enc(id)), &[]).await?, wire::conversation)
    }

    async fn update_conversation(&self, id: &str, patch: &ConversationPatch) -> BackendResult<Conversation> {
        if patch.priority.is_some() || patch.labels.is_some() || patch.subject.is_some() {
            return Err(BackendError::Unsupported("priority, labels and subjects"));
        }
        if let Some(status) = &patch.status {
            let status = wire::status_out(status.as_str());
            self.post("/v1/team_conversations/_update_status", json!({"conversation_id": id, "status": status}))
                .await?;
        }
        self.conversation(id).await
    }

    async fn assign(&self, id: &str, agent_id: Option<&str>) -> BackendResult<Conversation> {
        inbox::assign(self, id, agent_id).await
    }

    async fn take_next(&self) -> BackendResult<Option<Conversation>> {
        inbox::take_next(self).await
    }

    async fn messages(&self, id: &str, p: PageReq) -> BackendResult<Page<Message>> {
        inbox::messages(self, id, p).await
    }

    async fn send_message(&self, id: &str, message: &NewMessage) -> BackendResult<Message> {
        let me = self.me_cached().await.ok();
        if message.private {
            // imBrace's private notes are comments on a message: this one goes on the newest.
            let on = self.newest_message(id).await?;
            let path = format!("/v1/conversations/{}/conversation_messages/{}/comments", enc(id), enc(&on));
            let v = self.post(&path, json!({"text": message.text})).await?;
            return Self::one(&v, |c| wire::note(c, id, me.as_ref()));
        }
        let body = json!({"conversation_id": id, "type": "text", "text": message.text});
        let v = self.post("/v1/conversation_messages", body).await?;
        let conversation = self.conversation(id).await?;
        Self::one(&v, |m| wire::message(m, &conversation, me.as_ref()))
    }

    async fn activities(&self, id: &str, p: PageReq) -> BackendResult<Page<Activity>> {
        let v = self.get(&format!("/v1/conversations_activities/{}", enc(id)), &[]).await?;
        wire::list(v, 0, p.limit, wire::activity)
    }

    async fn contacts(&self, q: &ContactQuery) -> BackendResult<Page<Contact>> {
        match &q.search {
            Some(s) => self.page_of("/v1/contacts/_search", q.page, &[("q", s.clone())], wire::contact).await,
            None => self.page_of("/v1/contacts", q.page, &[], wire::contact).await,
        }
    }

    async fn contact(&self, id: &str) -> BackendResult<Contact> {
        Self::one(&self.get(&format!("/v1/contacts/{}", enc(id)), &[]).await?, wire::contact)
    }

    async fn update_contact(&self, id: &str, draft: &ContactDraft) -> BackendResult<Contact> {
        // Only what is given and changed is sent: imBrace stores a null as it comes, so a field left out is the
        // only way to leave it alone.
        let current = self.contact(id).await?;
        let given = |f: &Option<String>| f.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let mut body = serde_json::Map::new();
        for (key, new, old) in [
            ("name", given(&draft.name), Some(current.name.to_string())),
            ("email", given(&draft.email), current.email.as_ref().map(|e| e.to_string())),
            ("phone", given(&draft.phone), current.phone.as_ref().map(|p| p.to_string())),
        ] {
            if let Some(new) = new.filter(|n| Some(n) != old.as_ref()) {
                body.insert(key.into(), Value::String(new));
            }
        }
        if body.is_empty() {
            return Ok(current);
        }
        let r = self.req(Method::PUT, &format!("/v1/contacts/{}", enc(id))).json(&Value::Object(body));
        let v = self.call(r).await?;
        match Self::one(&v, wire::contact) {
            Ok(c) => Ok(c),
            Err(_) => self.contact(id).await,
        }
    }

    async fn contact_conversations(&self, contact_id: &str, p: PageReq) -> BackendResult<Page<Conversation>> {
        let v = self.get(&format!("/v1/contacts/{}/conversations", enc(contact_id)), &[]).await?;
        wire::list(v, 0, p.limit, wire::conversation)
    }

    async fn comments(&self, contact_id: &str, p: PageReq) -> BackendResult<Page<Comment>> {
        self.page_of(&format!("/v1/contacts/{}/comments", enc(contact_id)), p, &[], wire::comment).await
    }

    async fn add_comment(&self, contact_id: &str, text: &str) -> BackendResult<Comment> {
        // The spec's call, with its `{content}` body.
        let v = self.post(&format!("/v1/contacts/{}/comments", enc(contact_id)), json!({"content": text})).await?;
        Self::one(&v, wire::comment)
    }

    async fn files(&self, contact_id: &str) -> BackendResult<Vec<FileRef>> {
        // Singular `contact` in this one path, as the SDK has it.
        let v = self.get(&format!("/v1/contact/{}/files", enc(contact_id)), &[]).await?;
        Ok(wire::list(v, 0, 100, wire::file)?.items)
    }

    async fn export_contacts_csv(&self) -> BackendResult<String> {
        let resp =
            check(self.req(Method::GET, "/v1/contacts/_export_csv").send().await.map_err(network_error)?).await?;
        crate::backend::net::read_text(resp).await
    }

    async fn notifications(&self, p: PageReq, unread_only: bool) -> BackendResult<Page<Notification>> {
        let mut page = self.page_of("/v1/notifications", p, &[], wire::notification).await?;
        if unread_only {
            page.items.retain(|n| !n.is_read);
        }
        Ok(page)
    }

    async fn mark_notifications_read(&self, ids: &[Clean]) -> BackendResult<()> {
        self.call(self.req(Method::PUT, "/v1/notifications/read").json(&json!({"notification_id": ids})))
            .await
            .map(drop)
    }

    async fn dismiss_notification(&self, id: &str) -> BackendResult<()> {
        // DELETE with a JSON body, as the SDK sends it.
        self.call(self.req(Method::DELETE, "/v1/notifications/dismiss").json(&json!({"notification_id": id})))
            .await
            .map(drop)
    }

    async fn dismiss_all_notifications(&self) -> BackendResult<()> {
        self.call(self.req(Method::DELETE, "/v1/notifications/dismiss/all")).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_three_part_token_starting_eyj_is_a_jwt() {
        assert!(super::is_jwt("eyJa.eyJb.sig"));
        assert!(!super::is_jwt("eyJa.eyJb"));
        assert!(!super::is_jwt("acc_123"));
    }
}
