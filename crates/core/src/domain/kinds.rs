//! Enumerations whose wire values vary between servers: each keeps unknown values as `Other(text)`.

use serde::{Deserialize, Serialize};

macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $(#[doc = $text] $variant,)+
            /// A value this version of tinbox does not know, kept (sanitized) for display.
            Other(crate::text::Clean),
        }

        impl $name {
            /// The wire spelling of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(s) => s,
                }
            }

            /// Every known value, in declaration order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),+];
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.to_ascii_lowercase().as_str() {
                    $($text => Self::$variant,)+
                    _ => Self::Other(crate::text::Clean::new(&s)),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from(s.to_string())
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_string()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

open_enum!(
    /// The channel a conversation happens on.
    Channel { Whatsapp => "whatsapp", Instagram => "instagram", Sms => "sms", Email => "email" }
);
open_enum!(
    /// Where a conversation stands.
    ConvStatus { Open => "open", Closed => "closed", Archived => "archived" }
);
open_enum!(
    /// How urgent a conversation is.
    Priority { Low => "low", Medium => "medium", High => "high" }
);
open_enum!(
    /// Which way a message travelled.
    Direction { Incoming => "incoming", Outgoing => "outgoing" }
);
open_enum!(
    /// Delivery state of a message.
    DeliveryStatus { Pending => "pending", Sent => "sent", Delivered => "delivered", Read => "read", Failed => "failed", Received => "received" }
);
open_enum!(
    /// Why a notification was raised.
    NotificationKind {
        Assigned => "assigned",
        Mention => "mention",
        NewMessage => "new_message",
        ConversationCreated => "conversation_created",
        StatusChanged => "status_changed",
    }
);
open_enum!(
    /// A contact's lifecycle state.
    ContactStatus { Active => "active", Inactive => "inactive", Deleted => "deleted" }
);
open_enum!(
    /// How a session-panel value is drawn.
    DisplayType { Text => "text", Badge => "badge", Tag => "tag" }
);
open_enum!(
    /// The colour role of a session-panel value.
    ColorRole { Default => "default", Success => "success", Warning => "warning", Error => "error", Info => "info" }
);

impl Priority {
    /// Sort rank: high first.
    pub fn rank(&self) -> u8 {
        match self {
            Self::High => 0,
            Self::Medium => 1,
            Self::Low => 2,
            Self::Other(_) => 3,
        }
    }
}

// The variants come from a macro, where `#[default]` cannot be placed.
#[allow(clippy::derivable_impls)]
impl Default for ConvStatus {
    fn default() -> Self {
        Self::Open
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Priority {
    fn default() -> Self {
        Self::Medium
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_kept() {
        let c: Channel = serde_json::from_str("\"telegram\"").unwrap();
        assert_eq!(c, Channel::Other("telegram".into()));
        let s: ConvStatus = serde_json::from_str("\"SNOOZED\\u001b[31m\"").unwrap();
        assert_eq!(s, ConvStatus::Other("SNOOZED".into()));
        assert_eq!(serde_json::to_string(&Channel::Sms).unwrap(), "\"sms\"");
    }
}
