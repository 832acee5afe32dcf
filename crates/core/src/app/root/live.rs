//! What the live connection brings: its state (live, polling, down) and the events it carries.

use super::AppState;
use crate::app::{Connection, Effect, ErrorAbout, Notifications, Purpose};
use crate::domain::LiveEvent;
use crate::protocol::{LiveStatus, Request};

impl AppState {
    /// The live connection's state changed; back from offline, everything shown is asked for again.
    pub(super) fn on_live(&mut self, status: LiveStatus) -> Vec<Effect> {
        let was_down = matches!(self.connection, Connection::Offline { .. }) || self.offline.cached_at.is_some();
        match status {
            LiveStatus::Live => self.connection = Connection::Live,
            // Polling after a refusal stays marked as such: the agent knows why the screen is slower.
            LiveStatus::Polling if self.connection == Connection::Refused => {}
            LiveStatus::Polling => self.connection = Connection::Polling,
            LiveStatus::Refused(why) => {
                self.connection = Connection::Refused;
                self.tell(format!("No live updates: {why}"));
            }
            LiveStatus::Retrying { error, retry_in } => {
                let since = match self.connection {
                    Connection::Offline { since, .. } => since,
                    _ => self.now,
                };
                self.set_error_about(ErrorAbout::Connection, error.to_string());
                let retry_at = self.now + chrono::Duration::from_std(retry_in).unwrap_or_default();
                self.connection = Connection::Offline { since, retry_at };
                return vec![];
            }
        }
        if !was_down {
            return vec![];
        }
        // Back from offline (or from a cached start): everything shown may be stale, so it is asked for again.
        self.status.clear_error_about(ErrorAbout::Connection);
        self.list.revalidate = false;
        let mut effects = vec![self.list.load_page(1, &mut self.requests)];
        effects.extend(self.list.request_counts(&mut self.requests));
        effects.push(Notifications::load(&mut self.requests));
        if self.account.me.is_none() || self.account.agents.is_empty() {
            effects.push(self.send(Purpose::Me, Request::Me));
            effects.push(self.send(Purpose::Agents, Request::Agents));
        }
        effects
    }

    /// The live stream sent more than could be handled one by one: rather than replay what is left, everything
    /// shown is read again, and the agent is told why the screen jumps.
    pub(super) fn on_overwhelmed(&mut self, dropped: usize) -> Vec<Effect> {
        self.tell(format!("Reloaded: {dropped} live changes came at once"));
        // One reload at a time: a flood that goes on does not become a flood of requests.
        if self.awaits(|p| matches!(p, Purpose::ListPage)) {
            return vec![];
        }
        let mut effects = self.read_again();
        effects.push(Notifications::load(&mut self.requests));
        effects
    }

    /// `r`: what is shown is read again; while the link is down, the live stream is reopened at once
    /// instead of waiting out the retry delay.
    pub(super) fn refresh(&mut self) -> Vec<Effect> {
        let mut effects = self.read_again();
        if let Connection::Offline { since, .. } = self.connection {
            self.connection = Connection::Offline { since, retry_at: self.now };
            effects.push(Effect::StartLive);
        }
        effects
    }

    /// `r`, or after the live stream was overwhelmed: the list's first page, the counts and the open
    /// thread are read again.
    pub(super) fn read_again(&mut self) -> Vec<Effect> {
        self.list.revalidate = false;
        let mut effects = vec![self.list.load_page(1, &mut self.requests)];
        effects.extend(self.list.request_counts(&mut self.requests));
        if let Some(t) = self.thread.as_mut() {
            // An unreadable thread (or one to check after a lost send) is read again.
            effects.push(t.read_again(&mut self.requests));
            if t.show_activities {
                effects.push(t.ask_activities(&mut self.requests));
            }
        }
        effects
    }

    /// A live event arrived.
    pub(super) fn on_event(&mut self, ev: LiveEvent) -> Vec<Effect> {
        self.offline.synced_at = Some(self.now);
        match ev {
            LiveEvent::ConversationUpdated(c) => {
                // A change we are still waiting to hear back about keeps its local look until the answer comes.
                if self.awaits(|p| p.changes_conversation() == Some(c.id.as_str())) {
                    return vec![];
                }
                let mut effects = self.assigned_alert(&c);
                effects.extend(self.upsert(*c));
                effects.extend(self.list.counts_changed(self.now, &mut self.requests));
                effects
            }
            LiveEvent::NotificationCreated(n) => {
                self.notifications.arrived(*n);
                vec![]
            }
            LiveEvent::MessageCreated(m) => {
                let mut m = *m;
                self.delivery.catch_up(&mut m);
                let effects = self.customer_alert(&m);
                if let Some(t) = self.thread.as_mut() {
                    t.message_created(m);
                }
                effects
            }
            LiveEvent::MessageStatus(change) => self.delivery_changed(*change),
            LiveEvent::MessageEdited(m) => {
                if let Some(t) = self.thread.as_mut() {
                    t.message_edited(*m);
                }
                vec![]
            }
            LiveEvent::MessageRemoved { conversation_id, message_id } => {
                if let Some(t) = self.thread.as_mut().filter(|t| t.is(&conversation_id)) {
                    t.message_removed(&message_id);
                }
                vec![]
            }
        }
    }

    /// Someone else assigned a conversation to me (the list knew it as someone else's or nobody's).
    fn assigned_alert(&self, c: &crate::domain::Conversation) -> Vec<Effect> {
        let me = self.account.me.as_ref().map(|m| &m.id);
        let mine = |c: &crate::domain::Conversation| c.assignee.as_ref().map(|a| &a.id) == me && me.is_some();
        // Taking the next one is my own doing, even when the server's event outruns its answer.
        if self.awaits(|p| *p == crate::app::Purpose::TakeNext) {
            return vec![];
        }
        match self.list.get(&c.id) {
            Some(before) if mine(c) && !mine(before) => {
                vec![Effect::Alert(format!("Assigned to you: {}", c.contact.name))]
            }
            _ => vec![],
        }
    }

    /// A customer wrote on a conversation I handle while the agent looks elsewhere.
    fn customer_alert(&self, m: &crate::domain::Message) -> Vec<Effect> {
        if !self.away || m.direction != crate::domain::Direction::Incoming {
            return vec![];
        }
        let me = self.account.me.as_ref().map(|a| &a.id);
        let conv = self.list.get(&m.conversation_id).or(self.thread.as_ref().and_then(|t| t.conversation.ready()));
        match conv.filter(|c| c.id == m.conversation_id && me.is_some() && c.assignee.as_ref().map(|a| &a.id) == me) {
            Some(c) => vec![Effect::Alert(format!("{} wrote: {}", c.contact.name, crate::text::truncate(&m.text, 60)))],
            None => vec![],
        }
    }
}
