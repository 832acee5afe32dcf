//! The imBrace backend (hosted): team conversations, contacts, comments, files, activities, notifications and
//! messages under `{gateway}/channel-service/v1` and `/v2`, as its public SDK calls them. No live stream:
//! the worker polls. What the API has no call for is declared unavailable.

pub mod wire;

use crate::backend::native::http::{REQUEST_TIMEOUT, check, network_error};
use crate::backend::native::wire::person_name;
use crate::backend::*;
use crate::domain::*;
use crate::secret::Secret;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

/// Speaks imBrace's channel-service API.
#[derive(Debug, Clone)]
pub struct ImbraceBackend {
    client: reqwest::Client,
    base: String,
    key: Secret,
    organization: Option<String>,
}

fn enc(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

impl ImbraceBackend {
    /// A backend for the gateway at `gateway`. A token written `access:<token>` is sent as x-access-token,
    /// any other as x-api-key.
    pub fn new(gateway: &str, key: Secret, organization: Option<String>) -> BackendResult<Self> {
        let client = crate::backend::net::client()?;
        let base = format!("{}/channel-service", gateway.trim_end_matches('/'));
        Ok(Self { client, base, key, organization })
    }

    fn req(&self, method: Method, path: &str) -> RequestBuilder {
        let mut r = self.client.request(method, format!("{}{path}", self.base)).timeout(REQUEST_TIMEOUT);
        r = match self.key.expose().strip_prefix("access:") {
            Some(token) => r.header("x-access-token", token),
            None => r.header("x-api-key", self.key.expose()),
        };
        if let Some(org) = &self.organization {
            r = r.header("x-organization-id", org);
        }
        r
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
}

/// The view an `assigned_to` filter stands for, in imBrace's `type` parameter.
fn view_type(assigned_to: Option<&Assigned>) -> &'static str {
    match assigned_to {
        Some(Assigned::Me) => "mine",
        Some(Assigned::Nobody) => "unassigned",
        _ => "all",
    }
}

#[async_trait::async_trait]
impl Backend for ImbraceBackend {
    fn kind(&self) -> &'static str {
        "imbrace"
    }

    fn unavailable(&self) -> &'static [Capability] {
        &[
            Capability::Labels,
            Capability::Priority,
            Capability::PrivateNotes,
            Capability::AddComments,
            Capability::ChatbotSession,
            Capability::MarkRead,
            Capability::ContactCreateDelete,
            Capability::TakeNext,
            Capability::OpenCounts,
        ]
    }

    async fn me(&self) -> BackendResult<Agent> {
        // No profile call in the SDK: a notification names its user; without one the agent stays anonymous.
        let v = self.get("/v1/notifications", &[("limit", "1".into()), ("skip", "0".into())]).await?;
        let user = wire::list(v, 0, 1, |n| n.get("user_id").and_then(Value::as_str).map(String::from))?.items.pop();
        let id = user.unwrap_or_else(|| "me".into());
        Ok(Agent {
            name: id.clone().into(),
            id: id.into(),
            email: String::new().into(),
            available: true,
            open_conversations: 0,
            cannot: vec![],
        })
    }

    async fn agents(&self) -> BackendResult<Vec<Agent>> {
        // Agents come from a conversation's invitable users: the SDK lists no other way to find them.
        let first = self
            .get("/v2/team_conversations", &[("limit", "1".into()), ("skip", "0".into()), ("type", "all".into())])
            .await?;
        let Some(conv) = wire::list(first, 0, 1, wire::conversation)?.items.pop() else { return Ok(vec![]) };
        let users = self.get(&format!("/v1/team_conversations/{}/users", enc(&conv.id)), &[]).await?;
        Ok(wire::list(users, 0, 100, |u| {
            let id = u.get("_id").or_else(|| u.get("id")).and_then(Value::as_str)?;
            Some(Agent {
                id: Clean::new(id),
                name: person_name(u).unwrap_or_else(|| id.to_string().into()),
                email: u.get("email").and_then(Value::as_str).map(crate::text::clean_line).unwrap_or_default().into(),
                available: true,
                open_conversations: 0,
                cannot: vec![],
            })
        })?
        .items)
    }

    async fn conversations(
        &self,
        q: &ConversationQuery,
        _revalidate: bool,
    ) -> BackendResult<Listed<Page<Conversation>>> {
        let mut extra = vec![("type", view_type(q.assigned_to.as_ref()).to_string())];
        extra.extend(q.search.clone().map(|s| ("q", s)));
        extra.push((
            "sort",
            match q.sort {
                SortOrder::Oldest => "timestamp",
                _ => "-timestamp",
            }
            .to_string(),
        ));
        let mut page = self
            .page_of("/v2/team_conversations", PageReq { page: q.page, limit: q.limit }, &extra, wire::conversation)
            .await?;
        // No status filter on the server: apply it to the page.
        if let Some(status) = &q.status {
            page.items.retain(|c| c.status.as_str() == status);
        }
        Ok(Listed::Fresh(page))
    }

    async fn conversation(&self, id: &str) -> BackendResult<Conversation> {
        Self::one(&self.get(&format!("/v1/team_conversations/{}", enc(id)), &[]).await?, wire::conversation)
    }

    async fn update_conversation(&self, id: &str, patch: &ConversationPatch) -> BackendResult<Conversation> {
        if patch.priority.is_some() || patch.labels.is_some() || patch.subject.is_some() {
            return Err(BackendError::Unsupported("priority, labels and subjects"));
        }
        if let Some(status) = &patch.status {
            self.post("/v1/team_conversations/_update_status", json!({"conversation_id": id, "status": status}))
                .await?;
        }
        self.conversation(id).await
    }

    async fn assign(&self, id: &str, agent_id: Option<&str>) -> BackendResult<Conversation> {
        let current = self.conversation(id).await?;
        match agent_id {
            Some(agent) => {
                // One assignee at a time, as tinbox shows it: whoever else holds it is removed after the new one is added.
                self.post(
                    "/v1/team_conversations/assign_team_member",
                    json!({"conversation_id": id, "user_id": agent}),
                )
                .await?;
                if let Some(old) = current.assignee.filter(|a| a.id != agent) {
                    self.post(
                        "/v1/team_conversations/remove_team_member",
                        json!({"conversation_id": id, "user_id": old.id}),
                    )
                    .await?;
                }
            }
            None => {
                if let Some(old) = current.assignee {
                    self.post(
                        "/v1/team_conversations/remove_team_member",
                        json!({"conversation_id": id, "user_id": old.id}),
                    )
                    .await?;
                }
            }
        }
        self.conversation(id).await
    }

    async fn messages(&self, id: &str, p: PageReq) -> BackendResult<Page<Message>> {
        let page = self
            .page_of("/v1/conversation_messages", p, &[("conversation_id", id.to_string())], |m| wire::message(m, id))
            .await?;
        Ok(page)
    }

    async fn send_message(&self, id: &str, message: &NewMessage) -> BackendResult<Message> {
        if message.private {
            return Err(BackendError::Unsupported("private notes"));
        }
        let v = self
            .post("/v1/conversation_messages", json!({"conversation_id": id, "type": "text", "text": message.text}))
            .await?;
        Self::one(&v, |m| wire::message(m, id))
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
        let body = json!({"name": draft.name, "email": draft.email, "phone": draft.phone});
        let v = self.call(self.req(Method::PUT, &format!("/v1/contacts/{}", enc(id))).json(&body)).await?;
        Self::one(&v, wire::contact).or(self.contact(id).await)
    }

    async fn contact_conversations(&self, contact_id: &str, p: PageReq) -> BackendResult<Page<Conversation>> {
        let v = self.get(&format!("/v1/contacts/{}/conversations", enc(contact_id)), &[]).await?;
        wire::list(v, 0, p.limit, wire::conversation)
    }

    async fn comments(&self, contact_id: &str, p: PageReq) -> BackendResult<Page<Comment>> {
        self.page_of(&format!("/v1/contacts/{}/comments", enc(contact_id)), p, &[], wire::comment).await
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
