//! The emulator's templates (§9): the approved ones listed by `status=APPROVED`, and a template send that checks
//! the template and its parameters, answers a `template` message `pending`, and reports the outcome later like
//! any send (a template goes out even when the 24-hour window is closed).

use super::{Shared, body, err, find, ok, page_of};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;

pub fn seed() -> Vec<Value> {
    vec![
        json!({"id": "tp1", "name": "order_update", "display_name": "Order update", "language": "en", "category": "UTILITY",
            "status": "APPROVED", "header_type": "", "body_content": "Hi {{1}}, your order {{2}} has shipped.",
            "buttons": [], "whatsapp_account": "acme-main"}),
        json!({"id": "tp2", "name": "follow_up", "display_name": "Follow up", "language": "en", "category": "UTILITY",
            "status": "APPROVED", "header_type": "", "body_content": "Hello {{customer_name}}, is there anything else we can help with?",
            "buttons": [], "whatsapp_account": "acme-main"}),
        json!({"id": "tp4", "name": "support_line_hello", "display_name": "Hello", "language": "en", "category": "UTILITY",
            "status": "APPROVED", "header_type": "", "body_content": "Hello from our support line", "buttons": [],
            "whatsapp_account": "acme-support"}),
        json!({"id": "tp3", "name": "spring_sale", "display_name": "Spring sale", "language": "en", "category": "MARKETING",
            "status": "PENDING", "header_type": "", "body_content": "Spring sale!", "buttons": [], "whatsapp_account": "acme-main"}),
    ]
}

pub async fn list(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let e = s.lock().unwrap();
    let items: Vec<Value> =
        e.templates.iter().filter(|t| q.get("status").is_none_or(|st| t["status"] == st.as_str())).cloned().collect();
    ok(page_of(items, "templates", &q))
}

fn params_of(body: &str) -> Vec<String> {
    body.split("{{").skip(1).filter_map(|p| p.split_once("}}").map(|(n, _)| n.trim().to_string())).collect()
}

pub async fn send(State(s): State<Shared>, b: Bytes) -> Response {
    let v = body(&b);
    let mut e = s.lock().unwrap();
    let Some(t) = e.templates.iter().find(|t| t["name"] == v["template_name"]).cloned() else {
        return err(StatusCode::NOT_FOUND, "Template not found");
    };
    if t["status"] != "APPROVED" {
        return err(
            StatusCode::BAD_REQUEST,
            &format!("Template is not approved (status: {})", t["status"].as_str().unwrap()),
        );
    }
    let body_text = t["body_content"].as_str().unwrap_or("").to_string();
    let missing: Vec<String> = params_of(&body_text)
        .into_iter()
        .filter(|p| v["template_params"][p].as_str().is_none_or(|x| x.trim().is_empty()))
        .collect();
    if !missing.is_empty() {
        return err(StatusCode::BAD_REQUEST, &format!("Missing template parameters: {}", missing.join(", ")));
    }
    let contact = v["contact_id"].as_str().unwrap_or("").to_string();
    if find(&e.contacts, &contact).is_none() {
        return err(StatusCode::NOT_FOUND, "Contact not found");
    }
    let mut rendered = body_text;
    for p in params_of(t["body_content"].as_str().unwrap_or("")) {
        rendered = rendered.replace(&format!("{{{{{p}}}}}"), v["template_params"][&p].as_str().unwrap_or(""));
    }
    let m = json!({"id": format!("m{}", e.messages.len() + 100), "contact_id": contact, "direction": "outgoing",
        "message_type": "template", "content": {"body": rendered}, "status": "pending", "wamid": "", "error_message": "",
        "created_at": chrono::Utc::now().to_rfc3339()});
    e.messages.push(m.clone());
    let (shared, mid, after) = (s.clone(), m["id"].as_str().unwrap().to_string(), e.outcome_after);
    tokio::spawn(async move {
        tokio::time::sleep(after).await;
        super::outcome(&shared, &mid, &contact, None);
    });
    ok(m)
}
