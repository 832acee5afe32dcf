//! The selected conversation's contact and session panels, and the thread view.

use super::{AppState, Detail, Effect, Load, Msg, Thread};
use crate::backend::PageReq;
use crate::domain::{Comment, Contact, Conversation, FileRef, Message, Page, SessionData};
use crate::worker::{Request, RequestKey};

/// How long the selection must rest before its details load (holding j loads nothing on the way).
pub const REST_DELAY: std::time::Duration = std::time::Duration::from_millis(100);

/// Resets the panels when the selected conversation changed, and arms the rest timer.
pub fn follow_selection(state: &mut AppState) -> Vec<Effect> {
    let selected = state.list.selected().map(|c| (c.id.clone(), c.contact_id.clone()));
    let Some((id, contact_id)) = selected else {
        state.detail = Detail::default();
        return vec![];
    };
    if state.detail.conversation_id.as_deref() == Some(id.as_str()) {
        return vec![];
    }
    let same_contact = state.detail.contact_id.as_deref() == Some(contact_id.as_str());
    let kept = same_contact.then(|| std::mem::take(&mut state.detail));
    state.detail = match kept {
        // Another conversation of the same contact: the panels stay as they are.
        Some(d) => Detail { conversation_id: Some(id.clone()), ..d },
        None => Detail { conversation_id: Some(id.clone()), contact_id: Some(contact_id), ..Detail::default() },
    };
    if same_contact {
        return vec![];
    }
    vec![Effect::Debounce { delay: REST_DELAY, msg: Box::new(Msg::Rested(id)) }]
}

/// The selection rested on `id`: load its contact and session, if it is still the selection.
pub fn rested(state: &mut AppState, id: &str) -> Vec<Effect> {
    if state.list.selected().map(|c| c.id.as_str()) != Some(id) || state.detail.conversation_id.as_deref() != Some(id) {
        return vec![];
    }
    let Some(contact_id) = state.detail.contact_id.clone() else { return vec![] };
    let mut effects = Vec::new();
    if matches!(state.detail.contact, Load::Idle | Load::Failed(_)) {
        let rid = state.request_id();
        state.detail.contact = Load::Loading(rid);
        effects.push(Effect::Send {
            id: rid,
            key: Some(RequestKey::Contact),
            request: Request::Contact(contact_id.clone()),
        });
    }
    if matches!(state.detail.session, Load::Idle | Load::Failed(_)) {
        let rid = state.request_id();
        state.detail.session = Load::Loading(rid);
        let request = Request::SessionData(contact_id.clone());
        effects.push(Effect::Send { id: rid, key: Some(RequestKey::Session), request });
    }
    if matches!(state.detail.comments, Load::Idle | Load::Failed(_)) {
        effects.extend(super::form::load_extras(state, &contact_id));
    }
    effects
}

/// The contact's comments arrived.
pub fn comments_loaded(state: &mut AppState, id: u64, contact_id: &str, comments: Vec<Comment>) {
    if state.detail.comments.waits_for(id) && state.detail.contact_id.as_deref() == Some(contact_id) {
        state.detail.comments = Load::Ready(comments);
    }
}

/// The contact's files arrived.
pub fn files_loaded(state: &mut AppState, id: u64, contact_id: &str, files: Vec<FileRef>) {
    if state.detail.files.waits_for(id) && state.detail.contact_id.as_deref() == Some(contact_id) {
        state.detail.files = Load::Ready(files);
    }
}

/// The contact arrived.
pub fn contact_loaded(state: &mut AppState, id: u64, contact: Contact) {
    if state.detail.contact.waits_for(id) {
        state.cached_contacts.insert(contact.id.clone(), contact.clone());
        state.detail.contact = Load::Ready(contact);
    }
}

/// The session arrived: sections start folded as the flow says.
pub fn session_loaded(state: &mut AppState, id: u64, data: SessionData) {
    if state.detail.session.waits_for(id) {
        state.detail.collapsed =
            data.panel.sections.iter().map(|s| (s.id.clone(), s.collapsible && s.default_collapsed)).collect();
        state.detail.section = 0;
        state.detail.session = Load::Ready(data);
    }
}

/// Records a failed detail request, if it was one.
pub fn failed(state: &mut AppState, id: u64, reason: &str) -> bool {
    let contact_id = state.detail.contact_id.clone().unwrap_or_default();
    let d = &mut state.detail;
    if d.contact.waits_for(id) {
        // Offline, the contact as last seen beats an error.
        let cached = state.cached_contacts.get(&contact_id).cloned();
        d.contact = cached.map(Load::Ready).unwrap_or_else(|| Load::Failed(reason.to_string()));
    } else if d.session.waits_for(id) {
        let cached = state.cached_sessions.get(&contact_id).cloned();
        d.session = cached.map(Load::Ready).unwrap_or_else(|| Load::Failed(reason.to_string()));
    } else if let Some(t) = state.thread.as_mut().filter(|t| t.messages.waits_for(id)) {
        t.messages = Load::Failed(reason.to_string());
    } else {
        return false;
    }
    true
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

/// Opens the thread of `conversation_id`, loads its newest messages and marks it read.
pub fn open_thread(state: &mut AppState, conversation_id: String) -> Vec<Effect> {
    let id = state.request_id();
    let mut effects = Vec::new();
    let conversation = match state.list.items.iter().find(|c| c.id == conversation_id) {
        Some(c) => Load::Ready(c.clone()),
        None => {
            let cid = state.request_id();
            let key = Some(RequestKey::Named("thread-conversation".into()));
            effects.push(Effect::Send { id: cid, key, request: Request::Conversation(conversation_id.clone()) });
            Load::Loading(cid)
        }
    };
    let unread = conversation.ready().is_none_or(|c| c.unread_count > 0);
    state.thread = Some(Thread {
        conversation_id: conversation_id.clone(),
        conversation,
        messages: Load::Loading(id),
        ..Thread::default()
    });
    state.focus = super::Pane::List;
    let request = Request::Messages(conversation_id.clone(), PageReq { page: 1, limit: 100 });
    effects.push(Effect::Send { id, key: Some(RequestKey::Named("thread".into())), request });
    if unread {
        // Opening is reading: the server learns it, and the row's marker goes at once.
        if let Some(c) = state.list.items.iter_mut().find(|c| c.id == conversation_id) {
            c.unread_count = 0;
        }
        let rid = state.request_id();
        state.pending.insert(rid, super::Pending::Read(conversation_id.clone()));
        effects.push(Effect::Send { id: rid, key: None, request: Request::MarkRead(conversation_id.clone()) });
    }
    if let Some(private) = state.drafts.get(&conversation_id).map(|d| d.private) {
        // A draft left in this conversation comes back with it.
        effects.extend(super::composer::open(state, private));
    }
    effects
}

/// The thread's conversation arrived.
pub fn conversation_loaded(state: &mut AppState, id: u64, c: Conversation) {
    if let Some(t) = state.thread.as_mut().filter(|t| t.conversation.waits_for(id)) {
        t.conversation = Load::Ready(c);
    }
}

/// Messages for the thread arrived (newest first from the server; shown oldest first).
pub fn messages_loaded(state: &mut AppState, id: u64, conversation_id: &str, page: Page<Message>) {
    let Some(t) = state.thread.as_mut().filter(|t| t.conversation_id == conversation_id) else { return };
    let has_more = page.has_more();
    let mut messages = page.items;
    messages.reverse();
    if t.messages.waits_for(id) {
        t.messages = Load::Ready(messages);
        t.page = page.page;
        t.has_more = has_more;
        super::composer::thread_loaded(state);
    } else if t.older == Some(id)
        && let Load::Ready(shown) = &mut t.messages
    {
        // An older page goes on top; the scroll counts from the bottom, so the view does not jump.
        messages.retain(|m| !shown.iter().any(|s| s.id == m.id));
        messages.append(shown);
        *shown = messages;
        t.page = page.page;
        t.has_more = has_more;
        t.older = None;
    }
}

/// Scrolls the thread by `delta` lines (up is negative), loading an older page on reaching the top.
pub fn scroll_thread(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let max = crate::ui::thread_max_scroll(state);
    let Some(t) = state.thread.as_mut() else { return vec![] };
    t.scroll = ((t.scroll as isize).saturating_sub(delta).max(0) as usize).min(max);
    if t.scroll + 3 < max || !t.has_more || t.older.is_some() || t.messages.ready().is_none() {
        return vec![];
    }
    let (conversation_id, page) = (t.conversation_id.clone(), t.page + 1);
    let id = state.request_id();
    if let Some(t) = state.thread.as_mut() {
        t.older = Some(id);
    }
    let request = Request::Messages(conversation_id, PageReq { page, limit: 100 });
    vec![Effect::Send { id, key: Some(RequestKey::Named("thread-older".into())), request }]
}

/// A new message: appended to the open thread if it belongs there.
pub fn message_created(state: &mut AppState, m: Message) {
    if let Some(t) = state.thread.as_mut().filter(|t| t.conversation_id == m.conversation_id)
        && let Load::Ready(list) = &mut t.messages
        && !list.iter().any(|x| x.id == m.id)
    {
        list.push(m);
    }
}
