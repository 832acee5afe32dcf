//! Transfers and the assignment model (§6–7 of the fact sheet): the handler is the active transfer's agent;
//! the contact's pin is written only when it is empty and `assign_to_same_agent` is on; assigning to an away
//! agent is refused; without `transfers:write`, a null agent means "assign to me".

use super::roles::can;
use super::{Caller, Emu, Shared, body, err, find, ok};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;

/// GET /api/chatbot/transfers — oldest first; without `transfers:write`, one's own and the queue's.
pub async fn transfers(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let e = s.lock().unwrap();
    let all = can(&e, &u, "transfers:write");
    let mut items: Vec<Value> = e
        .transfers
        .iter()
        .filter(|t| q.get("status").is_none_or(|st| t["status"] == st.as_str()))
        .filter(|t| all || t["agent_id"].is_null() || t["agent_id"] == u.as_str())
        .cloned()
        .collect();
    items.sort_by_key(|t| t["transferred_at"].as_str().unwrap_or("").to_string());
    let total = items.len();
    let queue = e.transfers.iter().filter(|t| t["status"] == "active" && t["agent_id"].is_null()).count();
    let offset: usize = q.get("offset").and_then(|o| o.parse().ok()).unwrap_or(0);
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).filter(|l| (1..=100).contains(l)).unwrap_or(100);
    let page: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    ok(json!({"transfers": page, "general_queue_count": queue, "team_queue_counts": {}, "total_count": total,
        "limit": limit, "offset": offset}))
}

/// Hands transfer `ti` to `agent` (or back to the queue), pinning its contact as Whatomate does.
fn hand_over(e: &mut Emu, ti: usize, agent: Value) {
    let before = e.transfers[ti]["agent_id"].clone();
    e.transfers[ti]["agent_id"] = agent.clone();
    let contact = e.transfers[ti]["contact_id"].as_str().unwrap_or("").to_string();
    if let Some(ci) = find(&e.contacts, &contact) {
        let pin = &e.contacts[ci]["assigned_user_id"];
        if agent.is_null() {
            // Un-assigning clears the pin only when it pointed at that agent.
            if !before.is_null() && *pin == before {
                e.contacts[ci]["assigned_user_id"] = Value::Null;
            }
        } else if pin.is_null() && e.assign_to_same_agent {
            e.contacts[ci]["assigned_user_id"] = agent.clone();
        }
    }
    let payload = json!({"id": e.transfers[ti]["id"], "contact_id": contact, "status": "active", "agent_id": agent});
    let _ = e.events.send(json!({"type": "agent_transfer_assign", "payload": payload}));
}

fn available(e: &Emu, user: &str) -> bool {
    e.users.iter().find(|u| u["id"] == user).is_some_and(|u| u["is_available"] == true)
}

/// POST /api/chatbot/transfers/pick — the oldest unassigned active transfer.
pub async fn pick(State(s): State<Shared>, axum::Extension(Caller(u)): axum::Extension<Caller>) -> Response {
    let mut e = s.lock().unwrap();
    if !can(&e, &u, "transfers:write") && !can(&e, &u, "transfers:pickup") {
        return err(StatusCode::FORBIDDEN, "Queue pickup is not allowed");
    }
    let oldest = e
        .transfers
        .iter()
        .enumerate()
        .filter(|(_, t)| t["status"] == "active" && t["agent_id"].is_null())
        .min_by_key(|(_, t)| t["transferred_at"].as_str().unwrap_or("").to_string())
        .map(|(i, _)| i);
    match oldest {
        Some(i) => {
            hand_over(&mut e, i, json!(u));
            let t = e.transfers[i].clone();
            ok(json!({"message": "Transfer picked", "transfer": t}))
        }
        None => ok(json!({"message": "No transfers in queue", "transfer": null})),
    }
}

/// PUT /api/chatbot/transfers/{id}/assign, by the table in §7.
pub async fn assign_transfer(
    State(s): State<Shared>,
    axum::Extension(Caller(u)): axum::Extension<Caller>,
    Path(id): Path<String>,
    b: Bytes,
) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    let Some(i) = find(&e.transfers, &id) else { return err(StatusCode::NOT_FOUND, "Transfer not found") };
    if e.transfers[i]["status"] != "active" {
        return err(StatusCode::BAD_REQUEST, "Transfer is not active");
    }
    let named = v["agent_id"].as_str().filter(|a| !a.is_empty()).map(str::to_string);
    let agent = if can(&e, &u, "transfers:write") {
        match named {
            Some(a) if !available(&e, &a) => return err(StatusCode::BAD_REQUEST, "Agent is currently away"),
            Some(a) => json!(a),
            None => Value::Null,
        }
    } else {
        match (&v["agent_id"], named) {
            (_, Some(_)) => return err(StatusCode::FORBIDDEN, "Insufficient permissions"),
            (Value::String(_), None) => Value::Null,
            _ => json!(u),
        }
    };
    hand_over(&mut e, i, agent.clone());
    ok(json!({"message": "Transfer assigned", "agent_id": agent}))
}
