//! The thread view opened with Enter: its messages, older pages, and reading it.

use super::{AppState, Effect, Load, Purpose, Thread, detail, filters};
use crate::domain::Clean;
use crate::domain::{Capability, Conversation, Message, Page};
use crate::protocol::PageReq;
use crate::protocol::Request;

/// Opens the thread of `conversation_id`, loads its newest messages and marks it read. The contact and
/// session panels follow it. A saved draft is announced, not opened: keys go to the thread until `R`/`P`.
pub fn open(state: &mut AppState, conversation_id: Clean) -> Vec<Effect> {
    let mut effects = Vec::new();
    let conversation = match state.list.items.iter().find(|c| c.id == conversation_id) {
        Some(c) => Load::Ready(c.clone()),
        None => {
            let request = Request::Conversation(conversation_id.clone());
            effects.push(state.send(Purpose::ThreadConversation(conversation_id.clone()), request));
            Load::Loading
        }
    };
    let unread = conversation.ready().is_none_or(|c| c.unread_count > 0);
    state.thread = Some(Thread {
        conversation_id: conversation_id.clone(),
        conversation,
        messages: Load::Loading,
        ..Thread::default()
    });
    state.focus = super::Pane::List;
    let request = Request::Messages(conversation_id.clone(), PageReq { page: 1, limit: 100 });
    effects.push(state.send(Purpose::Thread(conversation_id.clone()), request));
    if unread {
        effects.extend(mark_read(state, &conversation_id));
    }
    effects.extend(detail::follow_selection(state));
    announce_drafts(state, &conversation_id);
    effects
}

/// Says which drafts wait in this conversation, without opening them.
fn announce_drafts(state: &mut AppState, conversation_id: &Clean) {
    let reply = state.drafts.contains_key(&(conversation_id.clone(), super::MessageKind::Reply));
    let note = state.drafts.contains_key(&(conversation_id.clone(), super::MessageKind::Note));
    let text = match (reply, note) {
        (true, true) => "Drafts kept — R continues the reply, P the note",
        (true, false) => "Draft kept — R to continue",
        (false, true) => "Note draft kept — P to continue",
        (false, false) => return,
    };
    state.tell(text);
}

/// Opening is reading: the row's marker goes at once and the server learns it.
fn mark_read(state: &mut AppState, conversation_id: &Clean) -> Vec<Effect> {
    if let Some(c) = state.list.items.iter_mut().find(|c| c.id == conversation_id) {
        c.unread_count = 0;
    }
    if let Some(Load::Ready(c)) = state.thread.as_mut().map(|t| &mut t.conversation) {
        c.unread_count = 0;
    }
    let already = state.awaits(|p| matches!(p, Purpose::MarkRead(id) if id == conversation_id));
    if already || state.account.unavailable.contains(&Capability::MarkRead) {
        return vec![];
    }
    let request = Request::MarkRead(conversation_id.clone());
    vec![state.send(Purpose::MarkRead(conversation_id.clone()), request)]
}

/// A changed conversation is on screen in the open thread: what arrives while it is open is seen, so it
/// stays read (and the server learns it).
pub fn keep_read(state: &mut AppState, c: &mut Conversation) -> Vec<Effect> {
    if c.unread_count == 0 || state.thread.as_ref().is_none_or(|t| t.conversation_id != c.id) {
        return vec![];
    }
    c.unread_count = 0;
    mark_read(state, &c.id.clone())
}

/// Leaves the thread: back to the list, the panels following the selection again.
pub fn close(state: &mut AppState) -> Vec<Effect> {
    state.thread = None;
    detail::follow_selection(state)
}

/// The thread's conversation arrived: now its contact is known, the panels follow it.
pub fn conversation_loaded(state: &mut AppState, conversation_id: &Clean, c: Conversation) {
    if let Some(t) = state.thread.as_mut().filter(|t| t.conversation_id == conversation_id) {
        t.conversation = Load::Ready(c);
    }
}

/// The thread's newest messages arrived (newest first from the server; shown oldest first).
pub fn messages_loaded(state: &mut AppState, conversation_id: &Clean, page: Page<Message>) -> Vec<Effect> {
    let Some(t) = state.thread.as_mut().filter(|t| t.conversation_id == conversation_id) else { return vec![] };
    let has_more = page.has_more();
    let mut messages = page.items;
    messages.reverse();
    t.messages = Load::Ready(messages);
    t.page = page.page;
    t.has_more = has_more;
    super::composer::thread_loaded(state)
}

/// An older page arrived: it goes on top; the scroll counts from the bottom, so the view does not jump.
pub fn older_loaded(state: &mut AppState, conversation_id: &Clean, page: Page<Message>) {
    let Some(t) = state.thread.as_mut().filter(|t| t.conversation_id == conversation_id) else { return };
    let Load::Ready(shown) = &mut t.messages else { return };
    let has_more = page.has_more();
    let mut messages = page.items;
    messages.reverse();
    messages.retain(|m| !shown.iter().any(|s| s.id == m.id));
    messages.append(shown);
    *shown = messages;
    t.page = page.page;
    t.has_more = has_more;
}

/// The thread's messages could not be read.
pub fn messages_failed(state: &mut AppState, conversation_id: &Clean, reason: &str) {
    if let Some(t) = state.thread.as_mut().filter(|t| t.conversation_id == conversation_id) {
        t.messages = Load::Failed(reason.to_string());
    }
    if let Some(c) = state.composer.as_mut().filter(|c| c.conversation_id == conversation_id)
        && c.unknown.as_ref().is_some_and(|u| !u.checked)
    {
        c.error = Some(format!(
            "The last send may have arrived, and the thread cannot be read to check ({reason}). Press r to try again."
        ));
    }
}

/// Scrolls the thread by `delta` lines (up is negative), loading an older page on reaching the top.
pub fn scroll(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let max = super::viewport::thread_max_scroll(state);
    let Some(t) = state.thread.as_mut() else { return vec![] };
    t.scroll = ((t.scroll as isize).saturating_sub(delta).max(0) as usize).min(max);
    let (conversation_id, page) = (t.conversation_id.clone(), t.page + 1);
    let loading = state.awaits(|p| matches!(p, Purpose::OlderMessages(_)));
    let Some(t) = state.thread.as_ref() else { return vec![] };
    if t.scroll + 3 < max || !t.has_more || loading || t.messages.ready().is_none() {
        return vec![];
    }
    let request = Request::Messages(conversation_id.clone(), PageReq { page, limit: 100 });
    vec![state.send(Purpose::OlderMessages(conversation_id), request)]
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

/// The server marked the conversation read: its answer is the conversation as it now stands.
pub fn read_confirmed(state: &mut AppState, c: Conversation) -> Vec<Effect> {
    filters::upsert(state, c)
}
