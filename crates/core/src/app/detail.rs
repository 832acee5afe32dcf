//! The contact and session panels: they show the contact of the open thread while one is open, else the
//! selected row's, and every contact action (`e`, `C`) acts on that same contact.

use super::{AppState, Detail, Effect, Load, Msg, Purpose};
use crate::domain::Clean;
use crate::domain::{Capability, Comment, Contact, FileRef, SessionData};
use crate::protocol::Request;

/// How long the selection must rest before its details load (holding j loads nothing on the way).
pub const REST_DELAY: std::time::Duration = std::time::Duration::from_millis(100);

/// The conversation the panels are about, with its contact's id: the open thread's (its contact unknown
/// while it loads), else the selected row's.
pub fn shown(state: &AppState) -> Option<(Clean, Option<Clean>)> {
    let contact = state.shown_conversation().map(|c| c.contact_id.clone());
    match &state.thread {
        Some(t) => Some((t.conversation_id.clone(), contact)),
        None => state.list.selected().map(|c| (c.id.clone(), contact)),
    }
}

impl AppState {
    /// The conversation the panels are about, as it stands: the open thread's, else the selected row.
    pub fn shown_conversation(&self) -> Option<&crate::domain::Conversation> {
        if let Some(t) = &self.thread {
            let listed = self.list.items.iter().find(|c| c.id == t.conversation_id);
            return t.conversation.ready().or(listed);
        }
        self.list.selected()
    }
}

/// Resets the panels when the conversation they are about changed, and arms the rest timer (or, for an
/// open thread, loads at once: nobody is holding j through threads).
pub fn follow_selection(state: &mut AppState) -> Vec<Effect> {
    let Some((id, contact_id)) = shown(state) else {
        state.detail = Detail::default();
        return vec![];
    };
    if state.detail.conversation_id.as_deref() == Some(id.as_str()) && state.detail.contact_id == contact_id {
        return vec![];
    }
    let same_contact = contact_id.is_some() && state.detail.contact_id == contact_id;
    state.detail = if same_contact {
        // Another conversation of the same contact: the panels stay as they are.
        Detail { conversation_id: Some(id.clone()), ..std::mem::take(&mut state.detail) }
    } else {
        Detail { conversation_id: Some(id.clone()), contact_id, ..Detail::default() }
    };
    if same_contact || state.detail.contact_id.is_none() {
        return vec![];
    }
    if state.thread.is_some() {
        return rested(state, &id);
    }
    vec![Effect::Debounce { delay: REST_DELAY, msg: Box::new(Msg::Rested(id)) }]
}

/// The selection rested on `id`: load its contact and session, if the panels are still about it.
pub fn rested(state: &mut AppState, id: &str) -> Vec<Effect> {
    if shown(state).map(|(c, _)| c).as_deref() != Some(id) || state.detail.conversation_id.as_deref() != Some(id) {
        return vec![];
    }
    let Some(contact_id) = state.detail.contact_id.clone() else { return vec![] };
    let mut effects = Vec::new();
    if matches!(state.detail.contact, Load::Idle | Load::Failed(_)) {
        state.detail.contact = Load::Loading;
        effects.push(state.send(Purpose::Contact(contact_id.clone()), Request::Contact(contact_id.clone())));
    }
    if matches!(state.detail.session, Load::Idle | Load::Failed(_)) {
        state.detail.session = Load::Loading;
        effects.push(state.send(Purpose::Session(contact_id.clone()), Request::SessionData(contact_id.clone())));
    }
    if matches!(state.detail.comments, Load::Idle | Load::Failed(_)) {
        effects.extend(load_extras(state, &contact_id));
    }
    effects
}

/// Comments and files load with the contact.
fn load_extras(state: &mut AppState, contact_id: &Clean) -> Vec<Effect> {
    state.detail.comments = Load::Loading;
    let mut effects = vec![state.send(Purpose::Comments(contact_id.into()), Request::Comments(contact_id.into()))];
    if state.account.unavailable.contains(&Capability::Files) {
        // Nothing to ask for: the panel simply lists no files, with no error about it.
        state.detail.files = Load::Ready(vec![]);
        return effects;
    }
    state.detail.files = Load::Loading;
    effects.push(state.send(Purpose::Files(contact_id.into()), Request::Files(contact_id.into())));
    effects
}

/// A change touched the contact (its assignee): read it again, keeping what is shown until the answer.
pub fn reread_contact(state: &mut AppState, contact_id: &Clean) -> Vec<Effect> {
    if state.detail.contact_id.as_deref() != Some(contact_id) {
        // Not on screen: the cached copy is stale, so it goes.
        state.offline.contacts.remove(contact_id);
        return vec![];
    }
    vec![state.send(Purpose::Contact(contact_id.into()), Request::Contact(contact_id.into()))]
}

fn about(state: &AppState, contact_id: &Clean) -> bool {
    state.detail.contact_id.as_deref() == Some(contact_id)
}

/// The contact's comments arrived.
pub fn comments_loaded(state: &mut AppState, contact_id: &Clean, comments: Vec<Comment>) {
    if about(state, contact_id) {
        state.detail.comments = Load::Ready(comments);
    }
}

/// The contact's files arrived.
pub fn files_loaded(state: &mut AppState, contact_id: &Clean, files: Vec<FileRef>) {
    if about(state, contact_id) {
        state.detail.files = Load::Ready(files);
    }
}

/// The contact arrived.
pub fn contact_loaded(state: &mut AppState, contact_id: &Clean, contact: Contact) {
    state.offline.contacts.insert(contact.id.clone(), contact.clone());
    if about(state, contact_id) {
        state.detail.contact = Load::Ready(contact);
    }
}

/// The session arrived: sections start folded as the flow says.
pub fn session_loaded(state: &mut AppState, contact_id: &Clean, data: SessionData) {
    if about(state, contact_id) {
        state.detail.collapsed =
            data.panel.sections.iter().map(|s| (s.id.clone(), s.collapsible && s.default_collapsed)).collect();
        state.detail.section = 0;
        state.detail.session = Load::Ready(data);
    }
}

/// The contact could not be read: offline, the contact as last seen beats an error.
pub fn contact_failed(state: &mut AppState, contact_id: &Clean, reason: &str) {
    if !about(state, contact_id) || state.detail.contact.ready().is_some() {
        return;
    }
    let cached = state.offline.contacts.get(contact_id).cloned();
    state.detail.contact = cached.map(Load::Ready).unwrap_or_else(|| Load::Failed(reason.to_string()));
}

/// The session could not be read: offline, the session as last seen beats an error.
pub fn session_failed(state: &mut AppState, contact_id: &Clean, reason: &str) {
    if !about(state, contact_id) {
        return;
    }
    let cached = state.offline.sessions.get(contact_id).cloned();
    state.detail.session = cached.map(Load::Ready).unwrap_or_else(|| Load::Failed(reason.to_string()));
}

/// Folds or unfolds the focused section, when it is collapsible.
pub fn toggle_section(state: &mut AppState) {
    let Some(session) = state.detail.session.ready() else { return };
    let Some(section) = session.panel.sections.get(state.detail.section) else { return };
    if section.collapsible {
        let folded = state.detail.collapsed.entry(section.id.clone()).or_insert(false);
        *folded = !*folded;
    }
}

/// Whether a section is folded now.
pub fn is_collapsed(detail: &Detail, section_id: &str) -> bool {
    detail.collapsed.get(section_id).copied().unwrap_or(false)
}
