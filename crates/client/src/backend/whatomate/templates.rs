//! Whatomate's prepared text: templates (§9: the approved ones, and a template send, the only message a closed
//! 24-hour window lets through, answered `pending` like any send) and canned responses (§10).

use super::{WhatomateBackend, wire};
use crate::backend::{BackendError, BackendResult};
use crate::domain::{Canned, Message, Template, TemplateSend};
use reqwest::Method;
use serde_json::{Value, json};

/// The approved templates of the WhatsApp number contact `id` talks to: another number's template would go out
/// from the wrong number, or fail.
pub async fn approved(b: &WhatomateBackend, id: &str) -> BackendResult<Vec<Template>> {
    let account = crate::backend::Backend::contact(b, id).await?.account_id;
    let q = [("status", "APPROVED".to_string()), ("page", "1".to_string()), ("limit", super::MAX_LIMIT.to_string())];
    let mut data = b.get("/api/templates", &q).await?;
    if let (Some(account), Some(Value::Array(list))) = (account, data.get_mut("templates")) {
        list.retain(|t| {
            t.get("whatsapp_account").and_then(Value::as_str).is_none_or(|a| a.is_empty() || a == account.as_str())
        });
    }
    Ok(wire::list(&data, "templates", wire::template)?.items)
}

/// Sends `template` to contact `id`, its parameters by name.
pub async fn send(b: &WhatomateBackend, id: &str, template: &TemplateSend) -> BackendResult<Message> {
    let params: serde_json::Map<String, Value> =
        template.params.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    let body = json!({"contact_id": id, "template_name": template.name, "template_params": params});
    let v = b.call(Method::POST, "/api/messages/template", &[], Some(body)).await?;
    wire::message(&v, id).ok_or_else(|| BackendError::BadResponse("unexpected message".into()))
}

/// The active canned responses, most used first (§10; any role may read them).
pub async fn canned(b: &WhatomateBackend) -> BackendResult<Vec<Canned>> {
    let q = [("active_only", "true".to_string()), ("page", "1".to_string()), ("limit", super::MAX_LIMIT.to_string())];
    Ok(wire::list(&b.get("/api/canned-responses", &q).await?, "canned_responses", wire::canned)?.items)
}

/// Counts one use, so the most used come first for everyone.
pub async fn canned_used(b: &WhatomateBackend, id: &str) -> BackendResult<()> {
    let path = format!("/api/canned-responses/{}/use", super::enc(id));
    b.call(Method::POST, &path, &[], Some(json!({}))).await.map(|_| ())
}
