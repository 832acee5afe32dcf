//! What the agent can ask for, and how keys are read now. Which key asks for what is the terminal edge's
//! business (its one key table drives both matching and help).

use crate::domain::Capability;

/// What the user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Move down in the focused pane.
    Down,
    /// Move up in the focused pane.
    Up,
    /// Jump to the top.
    First,
    /// Jump to the bottom.
    Last,
    /// Half a page down.
    HalfDown,
    /// Half a page up.
    HalfUp,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Show conversations assigned to me.
    ViewMine,
    /// Show unassigned conversations.
    ViewUnassigned,
    /// Show all conversations.
    ViewAll,
    /// Cycle the status filter.
    CycleStatus,
    /// Cycle the sort order.
    CycleSort,
    /// Cycle the channel filter.
    CycleChannel,
    /// Cycle the label filter.
    CycleLabel,
    /// Start typing a search.
    Search,
    /// Open the selected item (or fold a section).
    Open,
    /// Fold or unfold the focused section.
    Toggle,
    /// Reload from the server.
    Refresh,
    /// Show or hide help.
    Help,
    /// Back out of an overlay, the thread, or a search.
    Back,
    /// Leave tinbox.
    Quit,
    /// A character typed into the search.
    SearchInput(char),
    /// Delete the last search character.
    SearchBackspace,
    /// Empty the line being typed (Ctrl-U, as in a shell), staying in it.
    ClearInput,
    /// Keep the search and go back to the list.
    SearchAccept,
    /// Open the agent picker.
    Assign,
    /// Assign to me.
    AssignMe,
    /// Unassign.
    Unassign,
    /// Take the conversation that has waited longest in the queue.
    TakeNext,
    /// Close.
    Close,
    /// Reopen.
    Reopen,
    /// Archive.
    Archive,
    /// Open the priority picker.
    Priority,
    /// Open the label picker.
    Labels,
    /// Mark every row from the last mark to here.
    MarkRange,
    /// Mark every row in the view.
    MarkAll,
    /// Write a reply.
    Reply,
    /// Write a private note.
    Note,
    /// Send what the composer holds.
    Send,
    /// Edit the draft in `$EDITOR`.
    Editor,
    /// Send a WhatsApp template (the only message once the 24-hour window has closed).
    Templates,
    /// Insert a canned response into the composer.
    Canned,
    /// Mark the selected notification read.
    MarkRead,
    /// Mark every notification read.
    MarkAllRead,
    /// Dismiss the selected notification.
    Dismiss,
    /// Dismiss every notification (asks first).
    DismissAll,
    /// Answer yes.
    Yes,
    /// Answer no.
    No,
    /// Edit the contact.
    EditContact,
    /// Comment on the contact.
    Comment,
    /// Open the command palette.
    Palette,
    /// Undo the last change set (within a minute).
    Undo,
    /// Copy what is focused to the clipboard.
    Copy,
    /// Show or hide the open conversation's activities among its messages.
    Activities,
}

/// Whether keys are commands or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    /// Keys are commands.
    Normal,
    /// Keys type into the search line.
    Search,
    /// Keys filter and move a picker.
    Picker,
    /// Keys edit the composer's text.
    Composer,
    /// A question waits for y or n.
    Confirm,
    /// Keys type a command into the palette.
    Palette,
    /// Keys type into a form's fields.
    Form,
}

impl Action {
    /// True when the action asks the server to change something (refused in a read-only session).
    pub fn writes(self) -> bool {
        use Action::*;
        match self {
            Assign | AssignMe | Unassign | TakeNext | Close | Reopen | Archive | Priority | Labels | Reply | Note
            | Send | Editor | Templates | Canned | MarkRead | MarkAllRead | Dismiss | DismissAll | EditContact
            | Comment | Undo => true,
            Down | Up | First | Last | HalfDown | HalfUp | NextPane | PrevPane | ViewMine | ViewUnassigned
            | ViewAll | CycleStatus | CycleSort | CycleChannel | CycleLabel | Search | Open | Toggle | Refresh
            | Help | Back | Quit | SearchInput(_) | SearchBackspace | ClearInput | SearchAccept | MarkRange
            | MarkAll | Yes | No | Palette | Copy | Activities => false,
        }
    }
}

/// The server capability an action needs, as backends name what they cannot do.
pub fn capability(a: Action) -> Option<Capability> {
    match a {
        Action::Labels | Action::CycleLabel => Some(Capability::Labels),
        Action::CycleChannel => Some(Capability::ChannelFilter),
        Action::TakeNext => Some(Capability::TakeNext),
        Action::Close | Action::Reopen | Action::Archive | Action::CycleStatus => Some(Capability::Status),
        Action::Priority => Some(Capability::Priority),
        Action::Note => Some(Capability::PrivateNotes),
        Action::Comment => Some(Capability::Comments),
        Action::EditContact => Some(Capability::ContactEditing),
        Action::Templates => Some(Capability::Templates),
        Action::Canned => Some(Capability::CannedResponses),
        Action::Activities => Some(Capability::Activities),
        _ => None,
    }
}
