//! Notification actions: open, mark read, mark all read, dismiss, dismiss all.

use super::{AppState, Confirm, ConfirmAction, Effect, Purpose};
use crate::domain::Clean;
use crate::domain::Notification;
use crate::protocol::PageReq;
use crate::protocol::Request;

fn send(state: &mut AppState, request: Request) -> Effect {
    state.send(Purpose::NotificationAction, request)
}

/// Asks for the notifications pane's contents.
pub fn load(state: &mut AppState) -> Effect {
    state.send(Purpose::Notifications, Request::Notifications(PageReq { page: 1, limit: 100 }))
}

/// The pane's contents arrived; the cursor stays in range.
pub fn loaded(state: &mut AppState, items: Vec<Notification>) {
    state.notifications.items = items;
    state.notifications.selected = state.notifications.selected.min(state.notifications.items.len().saturating_sub(1));
}

fn selected_id(state: &AppState) -> Option<Clean> {
    state.notifications.items.get(state.notifications.selected).map(|n| n.id.clone())
}

/// Enter: opens the notification's conversation and marks the notification read.
pub fn open(state: &mut AppState) -> Vec<Effect> {
    let Some(n) = state.notifications.items.get(state.notifications.selected).cloned() else { return vec![] };
    let mut effects = mark_read(state);
    match n.conversation_id {
        Some(id) => effects.extend(super::thread::open(state, id)),
        None => state.tell("This notification is not about a conversation."),
    }
    effects
}

/// x: marks the selected notification read.
pub fn mark_read(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = selected_id(state) else { return vec![] };
    match state.notifications.items.iter_mut().find(|n| n.id == id) {
        Some(n) if !n.is_read => n.is_read = true,
        _ => return vec![],
    }
    vec![send(state, Request::MarkNotificationsRead(vec![id]))]
}

/// X: marks every notification read.
pub fn mark_all_read(state: &mut AppState) -> Vec<Effect> {
    let ids: Vec<Clean> = state.notifications.items.iter().filter(|n| !n.is_read).map(|n| n.id.clone()).collect();
    if ids.is_empty() {
        return vec![];
    }
    for n in &mut state.notifications.items {
        n.is_read = true;
    }
    state.tell(format!("Marked {} notifications read", ids.len()));
    vec![send(state, Request::MarkNotificationsRead(ids))]
}

/// d: dismisses the selected notification.
pub fn dismiss(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = selected_id(state) else { return vec![] };
    state.notifications.items.retain(|n| n.id != id);
    state.notifications.selected = state.notifications.selected.min(state.notifications.items.len().saturating_sub(1));
    vec![send(state, Request::DismissNotification(id))]
}

/// D: asks before dismissing every notification.
pub fn ask_dismiss_all(state: &mut AppState) -> Vec<Effect> {
    if state.notifications.items.is_empty() {
        return vec![];
    }
    let question = format!("Dismiss all {} notifications? y/n", state.notifications.items.len());
    state.overlays.confirm = Some(Confirm { question, on_yes: ConfirmAction::DismissAll });
    vec![]
}

/// The answer to a confirmation.
pub fn answer(state: &mut AppState, yes: bool) -> Vec<Effect> {
    let Some(c) = state.overlays.confirm.take() else { return vec![] };
    if !yes {
        return vec![];
    }
    match c.on_yes {
        ConfirmAction::DismissAll => {
            let n = state.notifications.items.len();
            state.notifications.items.clear();
            state.notifications.selected = 0;
            state.tell(format!("Dismissed {n} notifications"));
            vec![send(state, Request::DismissAllNotifications)]
        }
    }
}

/// A notification action failed: the server's list is reloaded so the pane shows the truth.
pub fn failed(state: &mut AppState, reason: &str) -> Vec<Effect> {
    state.set_error(format!("Notifications: {reason}"));
    vec![load(state)]
}
