//! Contact endpoints (seed 002), plus conversations, comments, files and the CSV export (seed 003).

use crate::Shared;
use crate::api::{self, Agent, ApiError, ApiResult, Params, body, opt_str};
use crate::store::{ContactRec, Store};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use serde_json::{Map, Value};
use std::sync::Arc;

fn contact_index(store: &Store, id: &str) -> Result<usize, ApiError> {
    store
        .contacts
        .iter()
        .position(|c| c.id == id)
        .ok_or_else(|| ApiError::not_found(format!("there is no contact {id}")))
}

use tinbox_core::validate::{is_e164, is_email};

/// Applies the editable fields of a create/update body to a contact, validating each.
fn apply(c: &mut ContactRec, b: &Map<String, Value>) -> Result<(), ApiError> {
    if let Some(name) = opt_str(b, "name")?.or(opt_str(b, "full_name")?) {
        let name = name.trim();
        if name.is_empty() {
            return Err(ApiError::invalid("name must not be empty"));
        }
        let (first, last) = name.split_once(' ').map(|(f, l)| (f, Some(l.trim()))).unwrap_or((name, None));
        c.first_name = first.to_string();
        c.last_name = last.map(String::from);
    }
    if let Some(f) = opt_str(b, "first_name")? {
        c.first_name = f;
    }
    if let Some(l) = opt_str(b, "last_name")? {
        c.last_name = Some(l);
    }
    if let Some(email) = opt_str(b, "email")? {
        if !email.is_empty() && !is_email(&email) {
            return Err(ApiError::invalid(format!("{email} is not a valid email address")));
        }
        c.email = Some(email).filter(|e| !e.is_empty());
    }
    if let Some(phone) = opt_str(b, "phone_number")?.or(opt_str(b, "phone")?) {
        if !phone.is_empty() && !is_e164(&phone) {
            return Err(ApiError::invalid(format!("{phone} is not an E.164 phone number (like +14155550123)")));
        }
        c.phone = Some(phone).filter(|p| !p.is_empty());
    }
    if let Some(ch) = opt_str(b, "preferred_channel")? {
        c.preferred_channel = ch;
    }
    if let Some(a) = opt_str(b, "account_id")? {
        c.account_id = Some(a);
    }
    match b.get("metadata") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => c.metadata.extend(m.clone()),
        Some(_) => return Err(ApiError::invalid("metadata must be an object")),
    }
    Ok(())
}

/// GET /api/contacts
pub async fn list(State(s): State<Arc<Shared>>, Agent(_): Agent, Query(q): Query<Params>, h: HeaderMap) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let store = s.read();
    let search = q.get("search").map(|v| v.trim()).filter(|v| !v.is_empty());
    let account = q.get("account_id").map(String::as_str).filter(|v| !v.is_empty());
    let items = store.filter_contacts(search, account).into_iter().map(|c| store.contact_json(c)).collect();
    api::list(&h, api::page_of(items, page, limit))
}

/// GET /api/contacts/{id}
pub async fn get(State(s): State<Arc<Shared>>, Agent(_): Agent, Path(id): Path<String>, h: HeaderMap) -> ApiResult {
    let store = s.read();
    let idx = contact_index(&store, &id)?;
    let c = &store.contacts[idx];
    api::versioned(&h, store.contact_json(c), &store.contact_version(c))
}

/// POST /api/contacts
pub async fn create(State(s): State<Arc<Shared>>, Agent(_): Agent, raw: Bytes) -> ApiResult {
    let b = body(&raw)?;
    let now = s.now();
    let mut store = s.lock();
    let mut c = ContactRec {
        id: store.new_id("cnt"),
        first_name: String::new(),
        last_name: None,
        phone: None,
        email: None,
        profile_name: None,
        preferred_channel: "whatsapp".into(),
        metadata: Map::new(),
        status: "active".into(),
        account_id: None,
        assigned_to: None,
        created_at: now,
        updated_at: now,
        last_contacted: None,
        session: None,
    };
    apply(&mut c, &b)?;
    if c.first_name.is_empty() {
        c.first_name = c
            .phone
            .clone()
            .or(c.email.clone())
            .ok_or_else(|| ApiError::invalid("a contact needs a name or a phone number"))?;
    }
    let out = store.contact_json(&c);
    store.contacts.push(c);
    api::created(out)
}

/// PUT /api/contacts/{id}
pub async fn update(State(s): State<Arc<Shared>>, Agent(_): Agent, Path(id): Path<String>, raw: Bytes) -> ApiResult {
    let b = body(&raw)?;
    let now = s.now();
    let mut store = s.lock();
    let idx = contact_index(&store, &id)?;
    let mut c = store.contacts[idx].clone();
    apply(&mut c, &b)?;
    c.updated_at = now;
    store.contacts[idx] = c;
    let out = store.contact_json(&store.contacts[idx]);
    // Conversations embed their contact: clients must learn of the change.
    let convs: Vec<usize> =
        (0..store.conversations.len()).filter(|i| store.conversations[*i].contact_id == id).collect();
    for i in convs {
        store.emit_conversation(i);
    }
    drop(store);
    s.wake();
    api::ok(out)
}

/// DELETE /api/contacts/{id}
pub async fn delete(State(s): State<Arc<Shared>>, Agent(_): Agent, Path(id): Path<String>) -> ApiResult {
    s.lock().delete_contact(&id)?;
    api::ok(Value::Null)
}

/// PUT /api/contacts/{id}/assign
pub async fn assign(State(s): State<Arc<Shared>>, Agent(_): Agent, Path(id): Path<String>, raw: Bytes) -> ApiResult {
    let b = body(&raw)?;
    if !b.contains_key("user_id") {
        return Err(ApiError::invalid("user_id is required (an agent id, or null to unassign)"));
    }
    let user = opt_str(&b, "user_id")?.filter(|u| !u.is_empty());
    let now = s.now();
    let mut store = s.lock();
    let idx = contact_index(&store, &id)?;
    if let Some(u) = &user
        && store.agent(u).is_none()
    {
        return Err(ApiError::invalid(format!("there is no agent {u}")));
    }
    store.contacts[idx].assigned_to = user;
    store.contacts[idx].updated_at = now;
    api::ok(store.contact_json(&store.contacts[idx]))
}

/// GET /api/contacts/{id}/session-data
pub async fn session(State(s): State<Arc<Shared>>, Agent(_): Agent, Path(id): Path<String>) -> ApiResult {
    let store = s.read();
    let idx = contact_index(&store, &id)?;
    let c = &store.contacts[idx];
    api::with_version(api::ok(store.session_json(c)), &store.contact_version(c))
}

/// GET /api/contacts/{id}/conversations
pub async fn conversations(
    State(s): State<Arc<Shared>>,
    Agent(_): Agent,
    Path(id): Path<String>,
    Query(q): Query<Params>,
    h: HeaderMap,
) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let store = s.read();
    contact_index(&store, &id)?;
    let mut convs: Vec<_> = store.conversations.iter().filter(|c| c.contact_id == id).collect();
    convs.sort_by_key(|c| std::cmp::Reverse(c.updated_at));
    let items = convs.into_iter().map(|c| store.conversation_json(c)).collect();
    api::list(&h, api::page_of(items, page, limit))
}

/// GET /api/contacts/{id}/comments (newest first)
pub async fn comments(
    State(s): State<Arc<Shared>>,
    Agent(_): Agent,
    Path(id): Path<String>,
    Query(q): Query<Params>,
    h: HeaderMap,
) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let store = s.read();
    let idx = contact_index(&store, &id)?;
    let items = store.comments.get(&id).map(|c| c.iter().rev().map(|c| store.comment_json(c)).collect());
    let version = store.contact_version(&store.contacts[idx]);
    api::with_version(api::list(&h, api::page_of(items.unwrap_or_default(), page, limit)), &version)
}

/// POST /api/contacts/{id}/comments
pub async fn add_comment(
    State(s): State<Arc<Shared>>,
    Agent(me): Agent,
    Path(id): Path<String>,
    raw: Bytes,
) -> ApiResult {
    let b = body(&raw)?;
    let text = api::required_text(&b, "text")?;
    let now = s.now();
    let out = {
        let mut store = s.lock();
        contact_index(&store, &id)?;
        let c = store.add_comment(&id, &me, &text, now);
        store.comment_json(&c)
    };
    s.wake();
    api::created(out)
}

/// GET /api/contacts/{id}/files
pub async fn files(
    State(s): State<Arc<Shared>>,
    Agent(_): Agent,
    Path(id): Path<String>,
    Query(q): Query<Params>,
    h: HeaderMap,
) -> ApiResult {
    let (page, limit) = api::paging(&q)?;
    let store = s.read();
    let idx = contact_index(&store, &id)?;
    let items = store.files.get(&id).map(|f| f.iter().filter_map(|f| serde_json::to_value(f).ok()).collect());
    let version = store.contact_version(&store.contacts[idx]);
    api::with_version(api::list(&h, api::page_of(items.unwrap_or_default(), page, limit)), &version)
}

/// GET /api/contacts/export.csv
pub async fn export_csv(State(s): State<Arc<Shared>>, Agent(_): Agent) -> ApiResult {
    let store = s.read();
    let mut w = csv::Writer::from_writer(Vec::new());
    let header_row = [
        "id",
        "full_name",
        "first_name",
        "last_name",
        "phone",
        "email",
        "preferred_channel",
        "status",
        "assigned_to",
        "created_at",
        "last_contacted",
    ];
    let fail = |_| ApiError(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "could not write the CSV".into());
    w.write_record(header_row).map_err(fail)?;
    for c in store.filter_contacts(None, None) {
        let row = [
            c.id.clone(),
            c.full_name(),
            c.first_name.clone(),
            c.last_name.clone().unwrap_or_default(),
            c.phone.clone().unwrap_or_default(),
            c.email.clone().unwrap_or_default(),
            c.preferred_channel.clone(),
            c.status.clone(),
            c.assigned_to.clone().unwrap_or_default(),
            c.created_at.to_rfc3339(),
            c.last_contacted.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ];
        // Cells a spreadsheet would run as formulas are neutralised, as any export of ours must be.
        w.write_record(row.iter().map(|c| tinbox_core::text::csv_cell(c))).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|_| ApiError(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "csv".into()))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response())
}
