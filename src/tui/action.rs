//! Everything a reviewer can ask of the screen, as data. Keymap files name actions by their
//! snake_case names; the help overlay lists them with their descriptions, by section.

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
    TakeOver = "take_over", Review, "Take over a record another reviewer is on", "接管他人正在处理的记录";
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
}
