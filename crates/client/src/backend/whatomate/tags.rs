//! Tags as labels (§12): the paged tag list with its colours, and putting tags on a contact, creating a new
//! name as a tag first where the role may (a name nobody created would live on that contact only, invisible
//! to everyone's label list).

use super::{MAX_LIMIT, WhatomateBackend, enc, read, wire};
use crate::backend::{BackendError, BackendResult};
use crate::domain::{Capability, Clean, ColorRole, Label};
use reqwest::Method;
use serde_json::{Value, json};

/// The most tag pages read (100 each), whatever the server says.
const TAG_PAGES: u32 = 20;

/// Every tag, by name, with its colour (`""` is gray).
pub async fn all(b: &WhatomateBackend) -> BackendResult<Vec<Label>> {
    let mut labels: Vec<Label> = Vec::new();
    for page in 1..=TAG_PAGES {
        let q = [("page", page.to_string()), ("limit", MAX_LIMIT.to_string())];
        let data = b.get("/api/tags", &q).await?;
        let list = data.get("tags").and_then(Value::as_array).cloned().unwrap_or_default();
        let total = data.get("total").and_then(Value::as_u64);
        for t in &list {
            let Some(name) = t.as_str().or_else(|| wire::text_at(t, &["name"])).map(Clean::new) else { continue };
            // A tag without a colour is shown gray, as Whatomate shows it.
            let color = wire::text_at(t, &["color"]).filter(|c| !c.is_empty()).unwrap_or("gray");
            if !name.is_empty() && !labels.iter().any(|l| l.name == name) {
                labels.push(Label { name, color: ColorRole::from(color) });
            }
        }
        let read_all = total.is_some_and(|t| labels.len() as u64 >= t);
        if list.len() < MAX_LIMIT as usize || read_all {
            break;
        }
    }
    if let Ok(mut known) = b.tags.write() {
        *known = labels.iter().map(|l| l.name.clone()).collect();
    }
    Ok(labels)
}

/// Puts exactly `tags` on contact `id`; a name that is neither a tag nor already on the contact is created as
/// a tag first, or refused in words when the role may not create tags.
pub async fn put(b: &WhatomateBackend, id: &str, tags: &[String]) -> BackendResult<()> {
    let mut known = read(&b.tags);
    if known.is_empty() {
        known = all(b).await?.into_iter().map(|l| l.name).collect();
    }
    let mut new: Vec<&String> = tags.iter().filter(|t| !known.iter().any(|k| k == t.as_str())).collect();
    if !new.is_empty() {
        // A name only this contact carries already (put on before it was a tag) is kept, not created.
        let on_contact = b.conversation_labels(id).await?;
        new.retain(|t| !on_contact.iter().any(|c| c == *t));
    }
    if !new.is_empty() && read(&b.me).is_some_and(|me| me.cannot.contains(&Capability::CreateLabels)) {
        let names = new.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
        let verb = if new.len() == 1 { "is not a tag" } else { "are not tags" };
        return Err(BackendError::Forbidden(
            format!("{names} {verb} yet, and your role cannot create tags: pick an existing one").into(),
        ));
    }
    for name in new {
        if name.chars().count() > 50 {
            return Err(BackendError::Invalid(
                format!("\"{name}\" is too long for a tag (50 characters at most)").into(),
            ));
        }
        match b.call(Method::POST, "/api/tags", &[], Some(json!({"name": name, "color": ""}))).await {
            // Someone created it meanwhile: it is a tag either way.
            Ok(_) | Err(BackendError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
        if let Ok(mut known) = b.tags.write() {
            known.push(Clean::new(name));
        }
    }
    b.call(Method::PUT, &format!("/api/contacts/{}/tags", enc(id)), &[], Some(json!({"tags": tags}))).await?;
    Ok(())
}
