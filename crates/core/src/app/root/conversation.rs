//! A conversation across features: opening and closing its thread, reading it, and a changed copy
//! arriving (from the server, a live event, or an optimistic change), which the list, the open thread,
//! the panels and the marks all hear of.

use super::AppState;
use crate::app::filters::belongs;
use crate::app::list::Upserted;
use crate::app::{Effect, Pane, Purpose, Thread};
use crate::domain::{Capability, Clean, Conversation};
use crate::protocol::Request;

impl AppState {
    /// Enter: opens conversation `id`'s thread, reads it, and says whether drafts wait in it.
    pub(super) fn open_thread(&mut self, id: Clean) -> Vec<Effect> {
        let (mut thread, mut effects) = Thread::open(id.clone(), self.list.get(&id).cloned(), &mut self.requests);
        thread.set_columns(crate::app::viewport::thread_columns(self.size.0));
        // Activities stay shown from one thread to the next once the agent asked for them (where the server has them).
        if self.activities && !self.account.unavailable.contains(&Capability::Activities) {
            effects.extend(thread.toggle_activities(&mut self.requests));
        }
        let unread = thread.unread();
        self.thread = Some(thread);
        self.focus = Pane::List;
        if unread {
            effects.extend(self.mark_read(&id));
        }
        effects.extend(self.follow_selection());
        if let Some(words) = self.compose.kept_drafts(&id) {
            self.tell(words);
        }
        effects
    }

    /// Esc / q in the thread: back to the list, whose selection the panels follow again.
    pub(super) fn close_thread(&mut self) -> Vec<Effect> {
        self.thread = None;
        self.follow_selection()
    }

    /// The activities key: shows the open thread's activities among its messages, or hides them.
    pub(super) fn toggle_activities(&mut self) -> Vec<Effect> {
        let Some(t) = self.thread.as_mut() else { return self.does_nothing(crate::app::Action::Activities) };
        let effects = t.toggle_activities(&mut self.requests);
        let shown = t.show_activities;
        self.activities = shown;
        self.tell(if shown { "Activities shown among the messages" } else { "Activities hidden" });
        effects
    }

    /// Conversation `id` was read: its row and thread say so, and the server is told (once).
    fn mark_read(&mut self, id: &Clean) -> Vec<Effect> {
        // A read-only session tells the server nothing, so its rows keep what the server holds: still unread.
        if self.account.read_only {
            return vec![];
        }
        self.list.mark_read(id);
        if let Some(t) = self.thread_of(id) {
            t.mark_read();
        }
        let already = self.requests.awaits(|p| matches!(p, Purpose::MarkRead(x) if x == id));
        if already || self.account.unavailable.contains(&Capability::MarkRead) {
            return vec![];
        }
        vec![self.send(Purpose::MarkRead(id.clone()), Request::MarkRead(id.clone()))]
    }

    /// A changed conversation goes where it belongs: the row is replaced, added, or leaves when it no
    /// longer fits the view (the selection moving on to the next row); the open thread and the panels show
    /// it; one read in the open thread stays read.
    pub(super) fn upsert(&mut self, mut c: Conversation) -> Vec<Effect> {
        let mut effects = Vec::new();
        if c.unread_count > 0 && self.thread.as_ref().is_some_and(|t| t.is(&c.id)) {
            // Messages that arrived while it was open were seen.
            c.unread_count = 0;
            effects.extend(self.mark_read(&c.id));
        }
        let keep = self.list.selected().map(|c| c.id.clone());
        self.detail.conversation_changed(&c);
        if let Some(t) = self.thread.as_mut() {
            // Shown activities follow what the log records (someone assigned, closed, labelled it); a new message
            // alone changes none of that, so a busy conversation does not read its log again per message.
            let logged = t.show_activities && t.conversation.ready().is_some_and(|before| logged_change(before, &c));
            t.conversation_changed(&c);
            if t.is(&c.id) && logged {
                effects.push(t.ask_activities(&mut self.requests));
            }
        }
        let id = c.id.clone();
        let fits = belongs(&self.list.filters, self.account.me.as_ref(), &c);
        if self.list.upsert(c, fits) == Upserted::Left {
            self.triage.marked.remove(&id);
        }
        effects.extend(self.reselect(keep));
        effects
    }
}

/// True when `after` differs from `before` in what a conversation's activity log records.
fn logged_change(before: &Conversation, after: &Conversation) -> bool {
    before.id == after.id
        && (before.assignee.as_ref().map(|a| &a.id) != after.assignee.as_ref().map(|a| &a.id)
            || before.status != after.status
            || before.priority != after.priority
            || before.labels != after.labels
            || before.subject != after.subject)
}
