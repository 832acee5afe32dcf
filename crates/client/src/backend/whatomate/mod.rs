//! The Whatomate backend (open source, self-hosted WhatsApp inbox), as its server code behaves: a contact
//! is the thread, labels are tags, assignment falls back to transfers when the agent's role may not assign,
//! live updates come over a WebSocket, and notifications are made from its events.

pub mod auth;
mod handlers;
mod inbox;
mod scan;
mod socket;
mod tags;
mod templates;
mod thread;
pub mod wire;

use crate::backend::native::http::{REQUEST_TIMEOUT, check, envelope_data, network_error};
use crate::backend::*;
use crate::domain::*;
use auth::{Auth, Credentials};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Whatomate's largest page.
const MAX_LIMIT: u32 = 100;
/// The most pages an export reads (100 contacts each), whatever the server says.
const EXPORT_PAGES: u32 = 2000;

/// Speaks Whatomate's REST API and WebSocket.
#[derive(Debug, Clone)]
pub struct WhatomateBackend {
    client: reqwest::Client,
    base: String,
    auth: Arc<Auth>,
    /// User id → name, for showing assignees.
    names: Arc<RwLock<HashMap<Clean, Clean>>>,
    me: Arc<RwLock<Option<Agent>>>,
    /// Set once the agents list has been read (names then cover everyone the server let us see).
    named: Arc<std::sync::atomic::AtomicBool>,
    /// Contacts this agent took from the queue, whose transfer event needs no notification.
    taken: Arc<std::sync::Mutex<std::collections::HashSet<Clean>>>,
    scan: Arc<scan::ScanCache>,
    /// The tag names the server listed last, so a new label is told apart from an existing tag.
    tags: Arc<RwLock<Vec<Clean>>>,
    inbox: Arc<inbox::Inbox>,
    ping_every: Duration,
}

fn enc(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

fn read<T: Clone>(lock: &RwLock<T>) -> T {
    lock.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
}

fn write<T>(lock: &RwLock<T>, value: T) {
    *lock.write().unwrap_or_else(std::sync::PoisonError::into_inner) = value;
}

impl WhatomateBackend {
    /// A backend for the server at `base`.
    pub fn new(base: &str, credentials: Credentials) -> BackendResult<Self> {
        let client = crate::backend::net::client()?;
        let base = base.trim_end_matches('/').to_string();
        Ok(Self {
            auth: Arc::new(Auth::new(client.clone(), base.clone(), credentials)),
            client,
            base,
            names: Arc::default(),
            me: Arc::default(),
            named: Arc::default(),
            taken: Arc::default(),
            scan: Arc::default(),
            tags: Arc::default(),
            inbox: Arc::default(),
            ping_every: socket::PING_EVERY,
        })
    }

    /// Sends `{"type":"ping"}` on the socket this often (tests shorten it).
    pub fn with_ping_every(mut self, every: Duration) -> Self {
        self.ping_every = every;
        self
    }

    /// One request with a fresh credential; a 401 renews the session once and tries again.
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> BackendResult<Value> {
        let mut renewed = false;
        loop {
            let credential = self.auth.credential().await?;
            let mut r = credential.apply(self.client.request(method.clone(), format!("{}{path}", self.base)));
            r = r.query(query).timeout(REQUEST_TIMEOUT);
            if let Some(b) = &body {
                r = r.json(b);
            }
            let resp = r.send().await.map_err(network_error)?;
            if resp.status() == StatusCode::UNAUTHORIZED && !renewed && self.auth.refused(&credential).await {
                renewed = true;
                continue;
            }
            if method != Method::GET {
                // Assignments and tags change who is in Mine and Unassigned.
                self.scan.changed();
            }
            return envelope_data(check(resp).await?).await;
        }
    }

    async fn get(&self, path: &str, query: &[(&str, String)]) -> BackendResult<Value> {
        self.call(Method::GET, path, query, None).await
    }

    fn names(&self) -> HashMap<Clean, Clean> {
        read(&self.names)
    }

    fn me_id(&self) -> Option<Clean> {
        read(&self.me).map(|a| a.id)
    }

    /// Learns agents' names once, so assignees show by name from the first list on.
    async fn ensure_names(&self) {
        if !self.named.load(std::sync::atomic::Ordering::Relaxed) {
            let _ = self.agents().await;
        }
    }

    async fn contacts_page(&self, q: &ConversationQuery, page: u32, limit: u32) -> BackendResult<Page<Conversation>> {
        let mut query = vec![("page", page.to_string()), ("limit", limit.clamp(1, MAX_LIMIT).to_string())];
        query.extend(q.search.clone().filter(|s| !s.is_empty()).map(|s| ("search", s)));
        query.extend(q.label.clone().map(|l| ("tags", l)));
        let names = self.names();
        wire::list(&self.get("/api/contacts", &query).await?, "contacts", |v| wire::conversation(v, &names))
    }

    /// A view Whatomate cannot filter (Mine, Unassigned, unread): the matches among the newest contacts
    /// ([`scan::SCAN_PAGES`] pages), paged here. The total is exact when the scan reached the end.
    async fn filtered(
        &self,
        q: &ConversationQuery,
        keep: impl Fn(&Conversation) -> bool,
    ) -> BackendResult<Page<Conversation>> {
        let scan = self.scan.get(self, q).await?;
        let matches: Vec<Conversation> = scan.rows.into_iter().filter(|c| keep(c)).collect();
        let limit = q.limit.max(1);
        let start = ((q.page.max(1) - 1) * limit) as usize;
        let total = matches.len() as u64 + u64::from(!scan.complete);
        let items = matches.into_iter().skip(start).take(limit as usize).collect();
        let skipped = scan.skipped;
        Ok(Page { items, total, page: q.page.max(1), limit, total_pages: total.div_ceil(limit as u64) as u32, skipped })
    }

    /// The tags on contact `id` now.
    async fn conversation_labels(&self, id: &str) -> BackendResult<Vec<Clean>> {
        Ok(wire::conversation(&self.get(&format!("/api/contacts/{}", enc(id)), &[]).await?, &HashMap::new())
            .map(|c| c.labels)
            .unwrap_or_default())
    }

    /// The contact's active transfer, if it is waiting in (or held from) a queue.
    async fn active_transfer(&self, contact_id: &str) -> BackendResult<Option<Clean>> {
        let q = [("status", "active".to_string()), ("limit", "100".to_string()), ("offset", "0".to_string())];
        let data = self.get("/api/chatbot/transfers", &q).await?;
        let transfers = data.get("transfers").and_then(Value::as_array).cloned().unwrap_or_default();
        Ok(transfers
            .iter()
            .find(|t| wire::id_at(t, "contact_id").as_deref() == Some(contact_id))
            .and_then(|t| wire::id_at(t, "id")))
    }
}

#[async_trait::async_trait]
impl Backend for WhatomateBackend {
    fn kind(&self) -> &'static str {
        "whatomate"
    }

    fn page_limit(&self) -> u32 {
        // Paged lists take `limit` 1–100 (shared/docs/whatomate.md §3).
        MAX_LIMIT
    }

    fn search_covers(&self) -> &'static str {
        // Whatomate's contact search looks at the name and the phone number only.
        "name and phone"
    }

    fn unavailable(&self) -> &'static [Capability] {
        // A contact is one endless WhatsApp thread: it has no status or priority to change.
        &[
            // No channel filter in its list query.
            Capability::ChannelFilter,
            Capability::Status,
            Capability::Priority,
            // Notes are the thread's private notes; a contact has no separate comments.
            Capability::Comments,
            Capability::Files,
            Capability::OpenCounts,
            Capability::ContactCreateDelete,
            // No activity log in its API.
            Capability::Activities,
        ]
    }

    async fn me(&self) -> BackendResult<Agent> {
        let me = wire::agent(&self.get("/api/me", &[]).await?)
            .ok_or_else(|| BackendError::BadResponse("no user in the answer".into()))?;
        if let Ok(mut names) = self.names.write() {
            names.insert(me.id.clone(), me.name.clone());
        }
        write(&self.me, Some(me.clone()));
        Ok(me)
    }

    async fn agents(&self) -> BackendResult<Vec<Agent>> {
        // Users need `users:read`, which agents lack; team members are the next best list, then just me.
        let q = [("page", "1".to_string()), ("limit", "100".to_string())];
        let agents = match self.get("/api/users", &q).await {
            Ok(data) => wire::list(&data, "users", wire::agent)?.items,
            Err(BackendError::Forbidden(_) | BackendError::NotFound(_)) => {
                let teams = self.get("/api/teams", &[]).await.ok();
                let ids: Vec<Clean> = teams
                    .as_ref()
                    .and_then(|t| t.get("teams").and_then(Value::as_array))
                    .map(|a| a.iter().filter_map(|t| wire::id_at(t, "id")).collect())
                    .unwrap_or_default();
                let mut found: Vec<Agent> = Vec::new();
                for id in ids {
                    let Ok(data) = self.get(&format!("/api/teams/{}/members", enc(&id)), &[]).await else { continue };
                    for a in wire::list(&data, "members", wire::agent).map(|p| p.items).unwrap_or_default() {
                        if !found.iter().any(|f| f.id == a.id) {
                            found.push(a);
                        }
                    }
                }
                found
            }
            Err(e) => return Err(e),
        };
        let mut agents = agents;
        if let Some(me) = read(&self.me).filter(|me| !agents.iter().any(|a| a.id == me.id)) {
            agents.push(me);
        }
        let mut names = self.names();
        names.extend(agents.iter().map(|a| (a.id.clone(), a.name.clone())));
        write(&self.names, names);
        self.named.store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(agents)
    }

    async fn labels(&self) -> BackendResult<Vec<Label>> {
        tags::all(self).await
    }

    async fn conversations(
        &self,
        q: &ConversationQuery,
        _revalidate: bool,
    ) -> BackendResult<Listed<Page<Conversation>>> {
        self.ensure_names().await;
        if q.assigned_to == Some(Assigned::Me) && self.me_id().is_none() {
            self.me().await?;
        }
        let me = self.me_id();
        let handlers = self.scan.handlers(self).await?;
        let mut page = match (q.assigned_to.as_ref(), q.unread) {
            (None, false) => self.contacts_page(q, q.page.max(1), q.limit).await?,
            (wanted, unread) => {
                let keep = |c: &Conversation| {
                    wanted.is_none_or(|w| handlers.belongs(c, w, me.as_deref())) && (!unread || c.unread_count > 0)
                };
                self.filtered(q, keep).await?
            }
        };
        let names = self.names();
        page.items.iter_mut().for_each(|c| handlers.apply(c, &names));
        Ok(Listed::Fresh(page))
    }

    async fn conversation(&self, id: &str) -> BackendResult<Conversation> {
        let v = self.get(&format!("/api/contacts/{}", enc(id)), &[]).await?;
        let names = self.names();
        let mut c =
            wire::conversation(&v, &names).ok_or_else(|| BackendError::BadResponse("unexpected contact".into()))?;
        // Without the transfers the row still shows the pin rather than failing the whole conversation.
        match self.scan.handlers(self).await {
            Ok(handlers) => handlers.apply(&mut c, &names),
            Err(e) => tracing::info!(error = %e, "active transfers unreadable: the row shows the pin"),
        }
        Ok(c)
    }

    async fn update_conversation(&self, id: &str, patch: &ConversationPatch) -> BackendResult<Conversation> {
        if patch.status.is_some() || patch.priority.is_some() || patch.subject.is_some() {
            return Err(BackendError::Unsupported("status, priority and subjects"));
        }
        if let Some(labels) = &patch.labels {
            tags::put(self, id, labels).await?;
        }
        self.conversation(id).await
    }

    async fn assign(&self, id: &str, agent_id: Option<&str>) -> BackendResult<Conversation> {
        let path = format!("/api/contacts/{}/assign", enc(id));
        // A role without contacts:write (the default agent role) is refused the pin: go to the transfer at once.
        let pin = if read(&self.me).is_some_and(|me| me.cannot.contains(&Capability::ContactEditing)) {
            Err(BackendError::Forbidden("no contacts:write".into()))
        } else {
            self.call(Method::PUT, &path, &[], Some(json!({"user_id": agent_id}))).await
        };
        match pin {
            Ok(_) => {}
            // The default agent role lacks contacts:write; a contact waiting in a transfer can still be handed over.
            Err(BackendError::Forbidden(why)) => {
                let Some(transfer) = self.active_transfer(id).await? else {
                    tracing::info!(%why, "assign refused and no transfer to hand over");
                    return Err(BackendError::Forbidden(
                        "your role can only hand over conversations waiting in the queue".into(),
                    ));
                };
                let path = format!("/api/chatbot/transfers/{}/assign", enc(&transfer));
                let to_me = agent_id.is_some_and(|a| self.me_id().is_some_and(|me| me.as_str() == a));
                if to_me {
                    // The transfer event this causes is the agent's own doing: no notice for it.
                    self.took(Clean::new(id));
                }
                self.call(Method::PUT, &path, &[], Some(json!({"agent_id": agent_id}))).await?;
            }
            Err(e) => return Err(e),
        }
        self.conversation(id).await
    }

    async fn take_next(&self) -> BackendResult<Option<Conversation>> {
        let data = self.call(Method::POST, "/api/chatbot/transfers/pick", &[], Some(json!({}))).await?;
        match data.get("transfer").filter(|t| t.is_object()).and_then(|t| wire::id_at(t, "contact_id")) {
            Some(contact) => {
                self.took(contact.clone());
                self.conversation(&contact).await.map(Some)
            }
            None => Ok(None),
        }
    }

    async fn mark_read(&self, id: &str) -> BackendResult<Conversation> {
        self.call(Method::POST, &format!("/api/contacts/{}/mark-read", enc(id)), &[], Some(json!({}))).await?;
        self.conversation(id).await
    }

    async fn messages(&self, id: &str, p: PageReq) -> BackendResult<Page<Message>> {
        thread::newest(self, id, p).await
    }

    async fn earlier_messages(&self, id: &str, earlier: &Earlier) -> BackendResult<Page<Message>> {
        thread::earlier(self, id, earlier).await
    }

    async fn templates(&self, id: &str) -> BackendResult<Vec<Template>> {
        templates::approved(self, id).await
    }

    async fn send_template(&self, id: &str, template: &TemplateSend) -> BackendResult<Message> {
        templates::send(self, id, template).await
    }

    async fn canned_responses(&self) -> BackendResult<Vec<Canned>> {
        templates::canned(self).await
    }

    async fn canned_used(&self, id: &str) -> BackendResult<()> {
        templates::canned_used(self, id).await
    }

    async fn send_message(&self, id: &str, message: &NewMessage) -> BackendResult<Message> {
        if message.private {
            return thread::add_note(self, id, &message.text).await;
        }
        let body = json!({"type": "text", "content": {"body": message.text}});
        let v = self.call(Method::POST, &format!("/api/contacts/{}/messages", enc(id)), &[], Some(body)).await?;
        wire::message(&v, id).ok_or_else(|| BackendError::BadResponse("unexpected message".into()))
    }

    async fn contacts(&self, q: &ContactQuery) -> BackendResult<Page<Contact>> {
        let mut query =
            vec![("page", q.page.page.max(1).to_string()), ("limit", q.page.limit.clamp(1, MAX_LIMIT).to_string())];
        query.extend(q.search.clone().map(|s| ("search", s)));
        wire::list(&self.get("/api/contacts", &query).await?, "contacts", wire::contact)
    }

    async fn contact(&self, id: &str) -> BackendResult<Contact> {
        wire::contact(&self.get(&format!("/api/contacts/{}", enc(id)), &[]).await?)
            .ok_or_else(|| BackendError::BadResponse("unexpected contact".into()))
    }

    async fn update_contact(&self, id: &str, draft: &ContactDraft) -> BackendResult<Contact> {
        let current = self.contact(id).await?;
        // An empty field means "unchanged": nothing is ever blanked.
        let given = |f: &Option<String>| f.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let digits = |p: &str| p.chars().filter(char::is_ascii_digit).collect::<String>();
        if given(&draft.phone).is_some_and(|p| Some(digits(&p)) != current.phone.as_deref().map(digits)) {
            return Err(BackendError::Invalid(
                "a WhatsApp contact's phone number is its address and cannot change".into(),
            ));
        }
        if given(&draft.email).is_some_and(|e| Some(e.as_str()) != current.email.as_deref()) {
            return Err(BackendError::Invalid("Whatomate contacts have no email address".into()));
        }
        // Only what changed is sent; with nothing changed nothing is asked (the server would say "No fields").
        let Some(name) = given(&draft.name).filter(|n| n.as_str() != current.name.as_str()) else {
            return Ok(current);
        };
        let body = json!({"profile_name": name});
        let v = self.call(Method::PUT, &format!("/api/contacts/{}", enc(id)), &[], Some(body)).await?;
        match wire::contact(&v) {
            Some(c) => Ok(c),
            None => self.contact(id).await,
        }
    }

    async fn session_data(&self, contact_id: &str) -> BackendResult<SessionData> {
        Ok(SessionData::from_value(&self.get(&format!("/api/contacts/{}/session-data", enc(contact_id)), &[]).await?))
    }

    async fn export_contacts_csv(&self) -> BackendResult<String> {
        // No export call: the contacts are paged through and written here.
        let mut out = csv::Writer::from_writer(Vec::new());
        let bad = |e: csv::Error| BackendError::BadResponse(format!("cannot write CSV: {e}").into());
        out.write_record(["id", "name", "phone", "tags", "assigned_user_id", "last_message_at"]).map_err(bad)?;
        // A server whose pages never run out is stopped at the total it announced first, or at a stated limit.
        let (mut written, mut announced) = (0u64, None);
        for page in 1.. {
            if page > EXPORT_PAGES {
                return Err(BackendError::BadResponse(
                    format!("the server kept sending contacts past {} pages; the export was stopped", EXPORT_PAGES)
                        .into(),
                ));
            }
            let q = ConversationQuery { page, limit: MAX_LIMIT, ..Default::default() };
            let p = self.contacts_page(&q, page, MAX_LIMIT).await?;
            let total = *announced.get_or_insert(p.total);
            for c in p.items.iter().take(total.saturating_sub(written) as usize) {
                written += 1;
                let when = c.last_message_at.map(|t| t.to_rfc3339()).unwrap_or_default();
                let who = c.assignee.as_ref().map(|a| a.id.clone()).unwrap_or_default();
                let phone = c.contact.phone.clone().unwrap_or_default();
                out.write_record([
                    c.id.as_str(),
                    c.contact.name.as_str(),
                    phone.as_str(),
                    &c.labels.join(";"),
                    who.as_str(),
                    when.as_str(),
                ])
                .map_err(bad)?;
            }
            if !p.has_more() || p.items.is_empty() || written >= total {
                break;
            }
        }
        let bytes = out.into_inner().map_err(|e| BackendError::BadResponse(format!("cannot write CSV: {e}").into()))?;
        String::from_utf8(bytes).map_err(|_| BackendError::BadResponse("contacts are not valid text".into()))
    }

    async fn notifications(&self, p: PageReq, unread_only: bool) -> BackendResult<Page<Notification>> {
        Ok(self.inbox.page(p, unread_only))
    }

    async fn mark_notifications_read(&self, ids: &[Clean]) -> BackendResult<()> {
        self.inbox.mark_read(ids);
        Ok(())
    }

    async fn dismiss_notification(&self, id: &str) -> BackendResult<()> {
        if self.inbox.dismiss(id) { Ok(()) } else { Err(BackendError::NotFound("that notification is gone".into())) }
    }

    async fn dismiss_all_notifications(&self) -> BackendResult<()> {
        self.inbox.clear();
        Ok(())
    }

    async fn live(&self, _last_event_id: Option<&str>) -> BackendResult<LiveStream> {
        socket::open(self.clone()).await
    }
}
