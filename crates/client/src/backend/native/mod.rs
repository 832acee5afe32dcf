//! The native backend: tinbox's own documented API (docs/api.md), as the reference server serves it.

mod detail;
pub(crate) mod http;
mod live;
pub mod wire;

pub use http::decode_envelope;
pub use live::decode as decode_live_event;

use crate::backend::*;
use crate::domain::*;
use crate::secret::Secret;
use http::Http;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use wire::*;

/// Speaks the native API over HTTP.
#[derive(Debug, Clone)]
pub struct NativeBackend {
    http: Http,
    /// The entity tag of the last answer to each list query, for "unchanged" answers.
    etags: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
}

impl NativeBackend {
    /// A backend for the server at `base` (e.g. `http://127.0.0.1:7878`).
    pub fn new(base: &str, token: Secret) -> BackendResult<Self> {
        Ok(Self { http: Http::new(base, token)?, etags: Default::default() })
    }
}

fn paging(p: PageReq) -> Vec<(&'static str, String)> {
    vec![("page", p.page.to_string()), ("limit", p.limit.to_string())]
}

/// `id` as one path segment.
pub(super) fn enc(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

fn conversation_query(q: &ConversationQuery) -> Vec<(&'static str, String)> {
    let mut out = vec![("page", q.page.max(1).to_string()), ("limit", q.limit.to_string())];
    let assigned_to = q.assigned_to.as_ref().map(|a| match a {
        Assigned::Me => "me".to_string(),
        Assigned::Nobody => "none".to_string(),
        Assigned::To(id) => id.to_string(),
    });
    let opt = [
        ("status", &q.status),
        ("channel", &q.channel),
        ("priority", &q.priority),
        ("assigned_to", &assigned_to),
        ("label", &q.label),
        ("search", &q.search),
    ];
    out.extend(opt.into_iter().filter_map(|(k, v)| v.clone().map(|v| (k, v))));
    if q.unread {
        out.push(("unread", "true".into()));
    }
    let sort = match q.sort {
        SortOrder::Latest => "latest",
        SortOrder::Oldest => "oldest",
        SortOrder::Waiting => "waiting",
        SortOrder::Priority => "priority",
    };
    out.push(("sort", sort.into()));
    if let Some(t) = q.updated_since {
        out.push(("updated_since", t.to_rfc3339()));
    }
    out
}

#[async_trait::async_trait]
impl Backend for NativeBackend {
    fn kind(&self) -> &'static str {
        "native"
    }

    fn page_limit(&self) -> u32 {
        // docs/api.md: `limit` 1–100.
        100
    }

    fn idempotent_sends(&self) -> bool {
        true
    }

    async fn me(&self) -> BackendResult<Agent> {
        item(self.http.get("/api/me", &[]).await?, WireAgent::into_domain)
    }

    async fn agents(&self) -> BackendResult<Vec<Agent>> {
        let data = self.http.get("/api/agents", &paging(PageReq { page: 1, limit: 100 })).await?;
        Ok(page(data, WireAgent::into_domain)?.items)
    }

    async fn labels(&self) -> BackendResult<Vec<Label>> {
        let data = self.http.get("/api/labels", &paging(PageReq { page: 1, limit: 100 })).await?;
        let list = match data {
            Value::Object(mut o) => o.remove("items").unwrap_or(Value::Null),
            other => other,
        };
        Ok(list.as_array().map(|a| a.iter().filter_map(label).collect()).unwrap_or_default())
    }

    async fn conversations(
        &self,
        query: &ConversationQuery,
        revalidate: bool,
    ) -> BackendResult<Listed<Page<Conversation>>> {
        let params = conversation_query(query);
        let key = format!("{params:?}");
        let mut req = self.http.build(Method::GET, "/api/conversations").query(&params);
        let known = self.etags.lock().ok().and_then(|t| t.get(&key).cloned());
        if let Some(tag) = known.filter(|_| revalidate) {
            req = req.header(header::IF_NONE_MATCH, tag);
        }
        let resp = self.http.send(req).await?;
        if resp.status() == StatusCode::NOT_MODIFIED {
            return Ok(Listed::Unchanged);
        }
        let etag = resp.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(String::from);
        let data = http::envelope_data(resp).await?;
        let value = page(data, WireConversation::into_domain)?;
        if let (Some(tag), Ok(mut tags)) = (etag, self.etags.lock()) {
            // Bounded: a long session asks many queries; only recent ones are worth a cheap answer.
            if tags.len() >= 256 {
                tags.clear();
            }
            tags.insert(key, tag);
        }
        Ok(Listed::Fresh(value))
    }

    async fn conversation(&self, id: &str) -> BackendResult<Conversation> {
        item(self.http.get(&format!("/api/conversations/{}", enc(id)), &[]).await?, WireConversation::into_domain)
    }

    async fn update_conversation(&self, id: &str, patch: &ConversationPatch) -> BackendResult<Conversation> {
        let data = self.http.json(Method::PATCH, &format!("/api/conversations/{}", enc(id)), patch).await?;
        item(data, WireConversation::into_domain)
    }

    async fn assign(&self, id: &str, agent_id: Option<&str>) -> BackendResult<Conversation> {
        let path = format!("/api/conversations/{}/assign", enc(id));
        item(self.http.json(Method::PUT, &path, &json!({ "user_id": agent_id })).await?, WireConversation::into_domain)
    }

    async fn take_next(&self) -> BackendResult<Option<Conversation>> {
        let data = self.http.json(Method::POST, "/api/conversations/take-next", &json!({})).await?;
        if data.is_null() {
            return Ok(None);
        }
        item(data, WireConversation::into_domain).map(Some)
    }

    async fn mark_read(&self, id: &str) -> BackendResult<Conversation> {
        let path = format!("/api/conversations/{}/read", enc(id));
        item(self.http.json(Method::POST, &path, &json!({})).await?, WireConversation::into_domain)
    }

    async fn messages(&self, id: &str, p: PageReq) -> BackendResult<Page<Message>> {
        let data = self.http.get(&format!("/api/conversations/{}/messages", enc(id)), &paging(p)).await?;
        page(data, WireMessage::into_domain)
    }

    async fn send_message(&self, id: &str, message: &NewMessage) -> BackendResult<Message> {
        let req = self
            .http
            .build(Method::POST, &format!("/api/conversations/{}/messages", enc(id)))
            .header("Idempotency-Key", &message.idempotency_key)
            .json(&json!({ "text": message.text, "private": message.private }));
        item(self.http.data(req).await?, WireMessage::into_domain)
    }

    async fn templates(&self, _id: &str) -> BackendResult<Vec<Template>> {
        let data = self.http.get("/api/templates", &paging(PageReq { page: 1, limit: 100 })).await?;
        Ok(page(data, wire::template)?.items.into_iter().flatten().collect())
    }

    async fn send_template(&self, id: &str, template: &TemplateSend) -> BackendResult<Message> {
        let params: serde_json::Map<String, Value> =
            template.params.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        let body = json!({ "name": template.name, "language": template.language, "params": params });
        let path = format!("/api/conversations/{}/templates", enc(id));
        item(self.http.json(Method::POST, &path, &body).await?, WireMessage::into_domain)
    }

    async fn canned_responses(&self) -> BackendResult<Vec<Canned>> {
        let data = self.http.get("/api/canned-responses", &paging(PageReq { page: 1, limit: 100 })).await?;
        Ok(page(data, wire::canned)?.items.into_iter().flatten().collect())
    }

    async fn canned_used(&self, id: &str) -> BackendResult<()> {
        let path = format!("/api/canned-responses/{}/use", enc(id));
        self.http.json(Method::POST, &path, &json!({})).await.map(drop)
    }

    async fn activities(&self, id: &str, p: PageReq) -> BackendResult<Page<Activity>> {
        let data = self.http.get(&format!("/api/conversations/{}/activities", enc(id)), &paging(p)).await?;
        page(data, WireActivity::into_domain)
    }

    async fn contacts(&self, q: &ContactQuery) -> BackendResult<Page<Contact>> {
        let mut query = paging(q.page);
        query.extend(q.search.clone().map(|s| ("search", s)));
        query.extend(q.account_id.clone().map(|s| ("account_id", s)));
        page(self.http.get("/api/contacts", &query).await?, WireContact::into_domain)
    }

    async fn contact(&self, id: &str) -> BackendResult<Contact> {
        item(self.http.get(&format!("/api/contacts/{}", enc(id)), &[]).await?, WireContact::into_domain)
    }

    async fn detail(&self, contact_id: &str, version: Option<&str>) -> BackendResult<Listed<Box<DetailParts>>> {
        self.panels(contact_id, version).await
    }

    async fn create_contact(&self, draft: &ContactDraft) -> BackendResult<Contact> {
        item(self.http.json(Method::POST, "/api/contacts", draft).await?, WireContact::into_domain)
    }

    async fn update_contact(&self, id: &str, draft: &ContactDraft) -> BackendResult<Contact> {
        let data = self.http.json(Method::PUT, &format!("/api/contacts/{}", enc(id)), draft).await?;
        item(data, WireContact::into_domain)
    }

    async fn delete_contact(&self, id: &str) -> BackendResult<()> {
        self.http.data(self.http.build(Method::DELETE, &format!("/api/contacts/{}", enc(id)))).await.map(drop)
    }

    async fn assign_contact(&self, id: &str, agent_id: Option<&str>) -> BackendResult<Contact> {
        let path = format!("/api/contacts/{}/assign", enc(id));
        item(self.http.json(Method::PUT, &path, &json!({ "user_id": agent_id })).await?, WireContact::into_domain)
    }

    async fn session_data(&self, contact_id: &str) -> BackendResult<SessionData> {
        let data = self.http.get(&format!("/api/contacts/{}/session-data", enc(contact_id)), &[]).await?;
        Ok(SessionData::from_value(&data))
    }

    async fn contact_conversations(&self, contact_id: &str, p: PageReq) -> BackendResult<Page<Conversation>> {
        let data = self.http.get(&format!("/api/contacts/{}/conversations", enc(contact_id)), &paging(p)).await?;
        page(data, WireConversation::into_domain)
    }

    async fn comments(&self, contact_id: &str, p: PageReq) -> BackendResult<Page<Comment>> {
        let data = self.http.get(&format!("/api/contacts/{}/comments", enc(contact_id)), &paging(p)).await?;
        page(data, WireComment::into_domain)
    }

    async fn add_comment(&self, contact_id: &str, text: &str) -> BackendResult<Comment> {
        let path = format!("/api/contacts/{}/comments", enc(contact_id));
        item(self.http.json(Method::POST, &path, &json!({ "text": text })).await?, WireComment::into_domain)
    }

    async fn files(&self, contact_id: &str) -> BackendResult<Vec<FileRef>> {
        let data = self.http.get(&format!("/api/contacts/{}/files", enc(contact_id)), &[]).await?;
        Ok(page(data, WireFile::into_domain)?.items)
    }

    async fn export_contacts_csv(&self) -> BackendResult<String> {
        let resp = self.http.send(self.http.build(Method::GET, "/api/contacts/export.csv")).await?;
        crate::backend::net::read_text(resp).await
    }

    async fn notifications(&self, p: PageReq, unread_only: bool) -> BackendResult<Page<Notification>> {
        let mut query = paging(p);
        if unread_only {
            query.push(("unread", "true".into()));
        }
        page(self.http.get("/api/notifications", &query).await?, WireNotification::into_domain)
    }

    async fn mark_notifications_read(&self, ids: &[Clean]) -> BackendResult<()> {
        let body = json!({ "notification_id": ids });
        self.http.json(Method::PUT, "/api/notifications/read", &body).await.map(drop)
    }

    async fn dismiss_notification(&self, id: &str) -> BackendResult<()> {
        self.http.data(self.http.build(Method::DELETE, &format!("/api/notifications/{}", enc(id)))).await.map(drop)
    }

    async fn dismiss_all_notifications(&self) -> BackendResult<()> {
        self.http.data(self.http.build(Method::DELETE, "/api/notifications")).await.map(drop)
    }

    async fn live(&self, last_event_id: Option<&str>) -> BackendResult<LiveStream> {
        live::open(&self.http, last_event_id).await
    }
}
