//! Everything a reviewer can ask of the screen, as data. Keymap files name actions by their
//! snake_case names; the help overlay lists them with their descriptions, by section.
//!
//! [`Action`]s are what the main screen's keys do (the `[keys]` table). Each window over the
//! screen is a [`Mode`] with a table of its own (`[filter]`, `[field_editor]`, ...), whose keys
//! do [`Command`]s: confirm, cancel, next line and the like. What a command does depends on
//! the mode, so each mode describes its commands itself.

use crate::tui::i18n::Lang;

/// Where an action appears in the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Move,
    Find,
    Review,
    View,
    General,
}

impl Section {
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Section::Move, Lang::En) => "Moving",
            (Section::Move, Lang::Zh) => "移动",
            (Section::Find, Lang::En) => "Finding",
            (Section::Find, Lang::Zh) => "查找",
            (Section::Review, Lang::En) => "Reviewing",
            (Section::Review, Lang::Zh) => "审核",
            (Section::View, Lang::En) => "Panes and view",
            (Section::View, Lang::Zh) => "窗格与显示",
            (Section::General, Lang::En) => "General",
            (Section::General, Lang::Zh) => "通用",
        }
    }
}

macro_rules! actions {
    ($($variant:ident = $name:literal, $section:ident, $en:literal, $zh:literal;)*) => {
        /// A named thing to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in help order.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The name keymap files use.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            pub fn section(self) -> Section {
                match self {
                    $(Action::$variant => Section::$section,)*
                }
            }

            /// What the action does, in the interface language.
            pub fn description(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Action::$variant, Lang::En) => $en,
                      (Action::$variant, Lang::Zh) => $zh,)*
                }
            }
        }
    };
}

actions! {
    MoveDown = "move_down", Move, "Next line", "下一行";
    MoveUp = "move_up", Move, "Previous line", "上一行";
    PageDown = "page_down", Move, "Next page", "下一页";
    PageUp = "page_up", Move, "Previous page", "上一页";
    First = "first", Move, "First line", "第一行";
    Last = "last", Move, "Last line", "最后一行";
    NextError = "next_error", Move, "Next record with an error", "下一个有错误的记录";
    PrevError = "prev_error", Move, "Previous record with an error", "上一个有错误的记录";
    OpenRow = "open_row", Move, "Open the row under the cursor (a boiler of the census object)", "打开光标所在的下级记录（如普查对象的锅炉）";
    CloseRow = "close_row", Move, "Back from a row to its census object", "从下级记录返回普查对象";
    Search = "search", Find, "Search key or name", "按记录号或名称搜索";
    Filter = "filter", Find, "Filter by severity, rule, region or state", "按严重程度、规则、区划或状态筛选";
    ClearFilter = "clear_filter", Find, "Clear the search and filters", "清除搜索和筛选";
    Edit = "edit", Review, "Correct the field under the cursor (with a reason)", "修正光标所在指标（须填原因）";
    Explain = "explain", Review, "Explain a warning that is true (说明)", "对属实的提示性问题作说明";
    Note = "note", Review, "Add a note to the record", "为记录添加备注";
    Sign = "sign", Review, "Sign the record off", "签字确认记录";
    Undo = "undo", Review, "Undo your last action on the record", "撤销本人对该记录的最后一次操作";
    Reopen = "reopen", Review, "Reopen a signed record (with a reason)", "重新打开已签字记录（须填原因）";
    History = "history", Review, "Show the record's history", "查看记录的操作历史";
    Mark = "mark", Review, "Mark the record for a bulk action (or unmark it)", "标记记录以批量操作（再按取消）";
    AcceptFix = "accept_fix", Review, "Accept the proposed fix (a correction with its reason)", "接受修正建议（作为带原因的修正）";
    DismissFix = "dismiss_fix", Review, "Dismiss the proposed fix", "驳回修正建议";
    BulkExplain = "bulk_explain", Review, "Explain the marked (else all listed) records' warnings in one go", "统一说明已标记（否则全部列出）的记录";
    BulkAccept = "bulk_accept", Review, "Accept the fixes proposed for the marked (else all listed) records", "接受已标记（否则全部列出）记录的修正建议";
    BulkSign = "bulk_sign", Review, "Sign the marked (else all listed) records", "对已标记（否则全部列出）的记录签字";
    TakeOver = "take_over", Review, "Take over a record another reviewer is on", "接管他人正在处理的记录";
    OrderByScore = "order_by_score", Find, "Order the queue by score or by severity", "队列按评分或严重程度排序";
    ToggleMine = "toggle_mine", Find, "Show my assigned records or all", "切换：我的任务 / 全部记录";
    FocusNext = "focus_next", View, "Next pane", "下一个窗格";
    FocusPrev = "focus_prev", View, "Previous pane", "上一个窗格";
    Dashboard = "dashboard", View, "Show the session's progress dashboard", "查看审核进度看板";
    ToggleLanguage = "toggle_language", View, "Switch between English and Chinese", "切换中文/英文";
    Refresh = "refresh", View, "Reload from the workspace", "从工作区重新读取";
    Help = "help", General, "Show or hide this help", "显示或隐藏帮助";
    Quit = "quit", General, "Quit", "退出";
}

impl Action {
    /// The action a keymap file names, if any.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

macro_rules! commands {
    ($($variant:ident = $name:literal;)*) => {
        /// A thing to do inside a window over the screen; [`Mode::commands`] says which a mode
        /// takes and what each does there.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Command {
            $($variant,)*
        }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$variant,)*];

            /// The name keymap files use.
            pub fn name(self) -> &'static str {
                match self {
                    $(Command::$variant => $name,)*
                }
            }
        }
    };
}

commands! {
    Confirm = "confirm";
    Cancel = "cancel";
    Close = "close";
    Save = "save";
    ScrollDown = "scroll_down";
    ScrollUp = "scroll_up";
    PageDown = "page_down";
    PageUp = "page_up";
    NextRow = "next_row";
    PrevRow = "prev_row";
    NextValue = "next_value";
    PrevValue = "prev_value";
    NextReason = "next_reason";
    PrevReason = "prev_reason";
    ToggleLanguage = "toggle_language";
}

/// What a key no command of the mode has does there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherKeys {
    /// It is typed into the window's text.
    Type,
    /// It closes the window.
    Close,
}

macro_rules! modes {
    ($($variant:ident = $name:literal, $other:ident, $en:literal, $zh:literal {
        $($command:ident: $cen:literal, $czh:literal;)*
    })*) => {
        /// A window over the screen that takes keys of its own: a table in keymap files.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Mode {
            $($variant,)*
        }

        impl Mode {
            /// Every mode, in help order.
            pub const ALL: &'static [Mode] = &[$(Mode::$variant,)*];

            /// The name of the mode's table in keymap files.
            pub fn name(self) -> &'static str {
                match self {
                    $(Mode::$variant => $name,)*
                }
            }

            /// The help's heading for the mode, in the interface language.
            pub fn title(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Mode::$variant, Lang::En) => $en,
                      (Mode::$variant, Lang::Zh) => $zh,)*
                }
            }

            /// What keys that do no command of the mode do.
            pub fn other_keys(self) -> OtherKeys {
                match self {
                    $(Mode::$variant => OtherKeys::$other,)*
                }
            }

            /// The commands the mode takes, in help order.
            pub fn commands(self) -> &'static [Command] {
                match self {
                    $(Mode::$variant => &[$(Command::$command,)*],)*
                }
            }

            /// What `command` does in this mode, in the interface language; `None` when the
            /// mode does not take it.
            pub fn describe(self, command: Command, lang: Lang) -> Option<&'static str> {
                match (self, command) {
                    $($((Mode::$variant, Command::$command) => Some(match lang {
                        Lang::En => $cen,
                        Lang::Zh => $czh,
                    }),)*)*
                    _ => None,
                }
            }
        }
    };
}

modes! {
    Help = "help", Close, "In the help", "帮助窗口中" {
        ScrollDown: "Scroll down", "向下滚动";
        ScrollUp: "Scroll up", "向上滚动";
        PageDown: "Scroll down a page", "向下翻页";
        PageUp: "Scroll up a page", "向上翻页";
        Close: "Close the help (so does any other key)", "关闭帮助（其他任意键亦可）";
    }
    Search = "search", Type, "In the search line", "搜索栏中" {
        Confirm: "Search for what is typed", "按输入内容搜索";
        Cancel: "Cancel the search", "取消搜索";
    }
    Filter = "filter", Type, "In the filter", "筛选窗口中" {
        NextRow: "Next line", "下一项";
        PrevRow: "Previous line", "上一项";
        NextValue: "Next choice", "下一个选项";
        PrevValue: "Previous choice", "上一个选项";
        Confirm: "Apply the filter", "应用筛选";
        Cancel: "Cancel", "取消";
    }
    FieldEditor = "field_editor", Type, "Correcting a field: the new value", "修正指标：新值" {
        Confirm: "Next: the reason", "下一步：原因";
        Cancel: "Cancel the correction", "取消修正";
    }
    Reason = "reason", Type, "Correcting a field: the reason", "修正指标：原因" {
        NextReason: "Next reason", "下一个原因";
        PrevReason: "Previous reason", "上一个原因";
        Confirm: "Save the correction", "保存修正";
        Cancel: "Cancel the correction", "取消修正";
    }
    TextEditor = "text_editor", Type, "Writing an explanation, a note or a reason", "填写说明、备注或原因" {
        Save: "Save", "保存";
        Cancel: "Cancel", "取消";
    }
    History = "history", Close, "In the history", "操作历史中" {
        ScrollDown: "Scroll down", "向下滚动";
        ScrollUp: "Scroll up", "向上滚动";
        PageDown: "Scroll down a page", "向下翻页";
        PageUp: "Scroll up a page", "向上翻页";
        Close: "Close the history (so does any other key)", "关闭历史（其他任意键亦可）";
    }
    Dashboard = "dashboard", Close, "On the dashboard", "进度看板中" {
        ToggleLanguage: "Switch between English and Chinese", "切换中文/英文";
        Close: "Close the dashboard (so does any other key)", "关闭看板（其他任意键亦可）";
    }
    Sign = "sign", Close, "Asked to sign a record", "确认签字时" {
        Confirm: "Sign the record", "确定签字";
        Cancel: "Do not sign (so does any other key)", "不签字（其他任意键亦可）";
    }
    TakeOver = "take_over", Close, "Asked to take a record over", "确认接管记录时" {
        Confirm: "Take the record over", "确定接管";
        Cancel: "Leave the record to them (so does any other key)", "不接管（其他任意键亦可）";
    }
    Bulk = "bulk", Close, "Previewing a bulk action", "批量操作预览中" {
        Confirm: "Do it: each record its own audited action, undone as one batch", "执行：每条记录各自留痕，可整批撤销";
        Cancel: "Cancel (so does any other key)", "取消（其他任意键亦可）";
    }
}

impl Mode {
    /// The mode a keymap table names, if any.
    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// The command a keymap file names in this mode's table, if the mode takes it.
    pub fn command(self, name: &str) -> Option<Command> {
        self.commands().iter().copied().find(|c| c.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
            assert!(
                a.name().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                a.name()
            );
            assert!(!a.description(Lang::En).is_empty() && !a.description(Lang::Zh).is_empty());
        }
    }

    #[test]
    fn every_mode_describes_its_commands_in_both_languages() {
        for &mode in Mode::ALL {
            assert_eq!(Mode::from_name(mode.name()), Some(mode));
            assert!(!mode.commands().is_empty(), "{}", mode.name());
            for &command in mode.commands() {
                assert_eq!(mode.command(command.name()), Some(command));
                for lang in [Lang::En, Lang::Zh] {
                    assert!(mode.describe(command, lang).is_some_and(|d| !d.is_empty()));
                }
            }
            let others = Command::ALL.iter().filter(|c| !mode.commands().contains(c));
            for &command in others {
                assert_eq!(mode.describe(command, Lang::En), None);
            }
        }
    }
}
