//! The open thread's own update: its messages, older pages, its scroll, and reading it.

use super::{Effect, Load, Purpose, Requests, Thread};
use crate::domain::{Activity, Clean, Conversation, Direction, Message, Page, StatusChange};
use crate::protocol::{Earlier, PageReq, Request};

/// Messages asked for per page of a thread.
const THREAD_PAGE: u32 = 100;

impl Thread {
    /// A thread about to load: the conversation as listed (`None`: asked for too), its messages asked for.
    pub fn open(conversation_id: Clean, listed: Option<Conversation>, out: &mut Requests) -> (Thread, Vec<Effect>) {
        let mut effects = Vec::new();
        let conversation = match listed {
            Some(c) => Load::Ready(c),
            None => {
                let request = Request::Conversation(conversation_id.clone());
                effects.push(out.send(Purpose::ThreadConversation(conversation_id.clone()), request));
                Load::Loading
            }
        };
        let thread = Thread { conversation_id, conversation, messages: Load::Loading, ..Thread::default() };
        effects.push(thread.read_again(out));
        (thread, effects)
    }

    /// Asks for the newest messages again (after a lost send, or `r`).
    pub fn read_again(&self, out: &mut Requests) -> Effect {
        let id = self.conversation_id.clone();
        out.send(Purpose::Thread(id.clone()), Request::Messages(id, PageReq { page: 1, limit: THREAD_PAGE }))
    }

    /// True when this is conversation `id`'s thread.
    pub fn is(&self, id: &str) -> bool {
        self.conversation_id == id
    }

    /// True when it shows unread messages (or cannot tell yet).
    pub fn unread(&self) -> bool {
        self.conversation.ready().is_none_or(|c| c.unread_count > 0)
    }

    /// The conversation was read.
    pub fn mark_read(&mut self) {
        if let Load::Ready(c) = &mut self.conversation {
            c.unread_count = 0;
        }
    }

    /// The conversation changed.
    pub fn conversation_changed(&mut self, c: &Conversation) {
        if self.is(&c.id) {
            self.conversation = Load::Ready(c.clone());
        }
    }

    /// The conversation could not be read.
    pub fn conversation_failed(&mut self, reason: &str) {
        self.conversation = Load::Failed(reason.to_string());
    }

    /// The newest messages arrived.
    pub fn messages_loaded(&mut self, page: Page<Message>) {
        let has_more = page.has_more();
        let mut messages = page.items;
        messages.reverse();
        self.messages = Load::Ready(messages);
        self.page = page.page;
        self.has_more = has_more;
        self.relayout();
    }

    /// An older page arrived: it goes above what is shown, without repeats.
    pub fn older_loaded(&mut self, page: Page<Message>) {
        let Load::Ready(shown) = &mut self.messages else { return };
        let has_more = page.has_more();
        let mut messages = page.items;
        messages.reverse();
        messages.retain(|m| !shown.iter().any(|s| s.id == m.id));
        messages.append(shown);
        *shown = messages;
        self.page = page.page;
        self.has_more = has_more;
        self.relayout();
    }

    /// Shows or hides the activities; shown with none read yet (or after a failure), they are asked for.
    pub fn toggle_activities(&mut self, out: &mut Requests) -> Vec<Effect> {
        self.show_activities = !self.show_activities;
        if self.show_activities && matches!(self.activities, Load::Idle | Load::Failed(_)) {
            return vec![self.ask_activities(out)];
        }
        vec![]
    }

    /// Asks for the activities (again: those shown stay until the new ones arrive).
    pub fn ask_activities(&mut self, out: &mut Requests) -> Effect {
        if !matches!(self.activities, Load::Ready(_)) {
            self.activities = Load::Loading;
        }
        let id = self.conversation_id.clone();
        out.send(Purpose::Activities(id.clone()), Request::Activities(id))
    }

    /// The activities arrived (newest first from the server): kept oldest first, as the thread reads.
    pub fn activities_loaded(&mut self, page: Page<Activity>) {
        let mut items = page.items;
        items.sort_by_key(|a| a.created_at);
        self.activities = Load::Ready(items);
    }

    /// The activities could not be read: they are hidden again.
    pub fn activities_failed(&mut self, reason: &str) {
        self.activities = Load::Failed(reason.to_string());
        self.show_activities = false;
    }

    /// The activities shown among the messages, oldest first (none while hidden or not read yet).
    pub fn shown_activities(&self) -> &[Activity] {
        match (&self.activities, self.show_activities) {
            (Load::Ready(items), true) => items,
            _ => &[],
        }
    }

    /// Lines the thread takes: each message's header, text and blank line, and a line per shown activity.
    pub fn lines(&self) -> usize {
        self.layout.total() + self.shown_activities().len()
    }

    /// The messages could not be read.
    pub fn messages_failed(&mut self, reason: &str) {
        self.messages = Load::Failed(reason.to_string());
        self.relayout();
    }

    /// The pane is now `columns` wide: the text is wrapped to it.
    pub fn set_columns(&mut self, columns: usize) {
        if self.layout.set_columns(columns) {
            self.relayout();
        }
    }

    /// The messages changed: their layout follows.
    fn relayout(&mut self) {
        self.layout.update(self.messages.ready().map(Vec::as_slice).unwrap_or(&[]));
    }

    /// Scrolls by `delta` lines (up is negative) within `max`; near the top, the older page is asked for.
    pub fn scroll(&mut self, delta: isize, max: usize, out: &mut Requests) -> Vec<Effect> {
        self.scroll = ((self.scroll as isize).saturating_sub(delta).max(0) as usize).min(max);
        let loading = out.awaits(|p| matches!(p, Purpose::OlderMessages(_)));
        if self.scroll + 3 < max || !self.has_more || loading || self.messages.ready().is_none() {
            return vec![];
        }
        let shown = self.messages.ready().map(Vec::as_slice).unwrap_or(&[]);
        let oldest = |private: bool| shown.iter().find(|m| m.private == private).map(|m| m.id.clone());
        let earlier = Earlier {
            page: PageReq { page: self.page + 1, limit: THREAD_PAGE },
            message: oldest(false),
            note: oldest(true),
        };
        let request = Request::EarlierMessages(self.conversation_id.clone(), earlier);
        vec![out.send(Purpose::OlderMessages(self.conversation_id.clone()), request)]
    }

    /// Back to the newest message.
    pub fn to_newest(&mut self) {
        self.scroll = 0;
    }

    /// A message arrived (live, or the answer to a send).
    pub fn message_created(&mut self, m: Message) {
        if self.is(&m.conversation_id)
            && let Load::Ready(list) = &mut self.messages
            && !list.iter().any(|x| x.id == m.id)
        {
            list.push(m);
            self.relayout();
        }
    }

    /// A message was edited: the shown one takes the new text. One not shown yet goes in its place by time,
    /// unless it is older than everything shown (an older page brings it).
    pub fn message_edited(&mut self, m: Message) {
        if !self.is(&m.conversation_id) {
            return;
        }
        let Load::Ready(list) = &mut self.messages else { return };
        if let Some(shown) = list.iter_mut().find(|x| x.id == m.id) {
            *shown = m;
        } else if list.first().is_none_or(|oldest| m.created_at >= oldest.created_at) {
            let at = list.partition_point(|x| x.created_at <= m.created_at);
            list.insert(at, m);
        } else {
            return;
        }
        self.relayout();
    }

    /// A message was deleted: it leaves the thread.
    pub fn message_removed(&mut self, id: &str) {
        if let Load::Ready(list) = &mut self.messages {
            list.retain(|m| m.id != id);
            self.relayout();
        }
    }

    /// A message's delivery changed; false when this thread does not show that message.
    pub fn status_changed(&mut self, change: &StatusChange) -> bool {
        let Load::Ready(list) = &mut self.messages else { return false };
        match list.iter_mut().find(|m| m.id == change.message_id) {
            Some(m) => {
                super::delivery::apply(m, change);
                // A failure's reason is laid out under the message.
                self.relayout();
                true
            }
            None => false,
        }
    }

    /// The newest public message from someone other than agent `me` (a customer, or a colleague who
    /// replied), with words for who it was; `None` while the messages are not loaded.
    pub fn newest_other(&self, me: Option<&str>) -> Option<Option<(Clean, String)>> {
        let Load::Ready(messages) = &self.messages else { return None };
        let other = messages.iter().rev().find(|m| {
            !m.private
                && match m.direction {
                    Direction::Incoming => true,
                    Direction::Outgoing => m.author.as_ref().is_some_and(|a| Some(a.id.as_str()) != me),
                    Direction::Other(_) => false,
                }
        });
        Some(other.map(|m| {
            let who = match (&m.direction, &m.author) {
                (Direction::Outgoing, Some(a)) => format!("{} replied", a.name),
                _ => "A new customer message arrived".to_string(),
            };
            (m.id.clone(), who)
        }))
    }

    /// Among the newest messages sent since `since`, one that is `text` sent as `note` or reply.
    pub fn recent_match(&self, text: &str, note: bool, since: crate::domain::Time) -> Option<Message> {
        let messages = self.messages.ready()?.iter().rev().take(20);
        let ours =
            |m: &&Message| m.direction == Direction::Outgoing && m.private == note && m.text.trim() == text.trim();
        messages.filter(|m| m.created_at.is_none_or(|at| at >= since)).find(ours).cloned()
    }
}
