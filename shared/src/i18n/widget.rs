//! Every word the widget shows, in English and Simplified Chinese. Plain
//! tables here, so that both languages are checked side by side by unit
//! tests; the widget only picks one for its page (`widget/src/i18n.rs`).

use crate::context::ContextPart;
use crate::lifecycle::CaseStatus;

use super::is_chinese;

pub struct WidgetStrings {
    pub describe_label: &'static str,
    pub describe_placeholder: &'static str,
    pub suggestions_hint: &'static str,
    pub suggestions_label: &'static str,
    pub solved: &'static str,
    pub not_solved: &'static str,
    pub thanks: &'static str,
    pub category: &'static str,
    pub categories: [(&'static str, &'static str); 6],
    pub impact: &'static str,
    pub impacts: [(&'static str, &'static str); 3],
    pub urgency: &'static str,
    pub urgencies: [(&'static str, &'static str); 3],
    pub what_we_send: &'static str,
    pub nothing_to_send: &'static str,
    pub remove: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub sent: &'static str,
    pub sent_reply_by: &'static str,
    pub waiting_to_send: &'static str,
    pub unreachable: &'static str,
    pub new_case: &'static str,
    pub my_cases: &'static str,
    pub no_cases: &'static str,
    pub back: &'static str,
    pub reply_label: &'static str,
    pub send_reply: &'static str,
    pub confirm_resolved: &'static str,
    pub reopen: &'static str,
    pub rate: &'static str,
    pub rated: &'static str,
    pub you: &'static str,
    pub support: &'static str,
    pub new_reply: &'static str,
}

pub static EN: WidgetStrings = WidgetStrings {
    describe_label: "Describe the problem",
    describe_placeholder: "What were you trying to do, and what happened instead?",
    suggestions_hint: "These answers might solve it right away:",
    suggestions_label: "Suggested answers",
    solved: "This solved it",
    not_solved: "Still need help",
    thanks: "Glad that helped! Come back any time.",
    category: "What is it about?",
    categories: [
        ("", "Not sure"),
        ("access", "Access or login"),
        ("data", "Data looks wrong"),
        ("bug", "Something is broken"),
        ("performance", "It is slow"),
        ("how-to", "How do I…?"),
    ],
    impact: "Who is affected?",
    impacts: [
        ("individual", "Just me"),
        ("team", "My team"),
        ("organization", "Many people or everyone"),
    ],
    urgency: "How much does it hold you up?",
    urgencies: [
        ("blocked", "I cannot work"),
        ("degraded", "Slowed down, I have a workaround"),
        ("question", "It is a question"),
    ],
    what_we_send: "What we will send with it",
    nothing_to_send: "Nothing but your description.",
    remove: "Remove",
    send: "Send to support",
    sending: "Sending…",
    sent: "Thanks — your case is with our support team:",
    sent_reply_by: "Expect a first reply by",
    waiting_to_send: "Waiting to send — we will keep trying, even after a reload.",
    unreachable: "We could not reach support just now. Your text is still here; please try again.",
    new_case: "New request",
    my_cases: "My cases",
    no_cases: "You have no cases yet.",
    back: "Back",
    reply_label: "Write to support",
    send_reply: "Send reply",
    confirm_resolved: "Yes, it is solved",
    reopen: "It is not solved",
    rate: "How did we do?",
    rated: "Thanks for rating us.",
    you: "You",
    support: "Support",
    new_reply: "New reply",
};

pub static ZH: WidgetStrings = WidgetStrings {
    describe_label: "描述您遇到的问题",
    describe_placeholder: "您想做什么？实际发生了什么？",
    suggestions_hint: "这些答案或许能立即解决您的问题：",
    suggestions_label: "推荐答案",
    solved: "问题已解决",
    not_solved: "仍需帮助",
    thanks: "很高兴能帮到您！随时欢迎回来。",
    category: "问题类型",
    categories: [
        ("", "不确定"),
        ("access", "权限或登录"),
        ("data", "数据有误"),
        ("bug", "功能故障"),
        ("performance", "运行缓慢"),
        ("how-to", "使用咨询"),
    ],
    impact: "影响范围",
    impacts: [
        ("individual", "仅我自己"),
        ("team", "我的团队"),
        ("organization", "很多人或所有人"),
    ],
    urgency: "对工作的影响",
    urgencies: [
        ("blocked", "无法继续工作"),
        ("degraded", "受影响，但有变通办法"),
        ("question", "只是咨询"),
    ],
    what_we_send: "将一并发送的信息",
    nothing_to_send: "仅发送您的描述。",
    remove: "移除",
    send: "提交给支持团队",
    sending: "正在提交…",
    sent: "已提交，支持团队正在处理您的工单：",
    sent_reply_by: "预计首次回复时间",
    waiting_to_send: "等待发送——我们会持续重试，刷新页面也不会丢失。",
    unreachable: "暂时无法连接支持团队。您的内容已保留，请稍后重试。",
    new_case: "新的求助",
    my_cases: "我的工单",
    no_cases: "您还没有工单。",
    back: "返回",
    reply_label: "回复支持团队",
    send_reply: "发送回复",
    confirm_resolved: "是的，已解决",
    reopen: "仍未解决",
    rate: "请为本次服务评分",
    rated: "感谢您的评价。",
    you: "您",
    support: "支持团队",
    new_reply: "新回复",
};

/// The strings for a locale tag: Chinese for any `zh`, English otherwise.
pub fn strings(locale: &str) -> &'static WidgetStrings {
    if is_chinese(locale) {
        &ZH
    } else {
        &EN
    }
}

impl WidgetStrings {
    pub fn context_part(&self, part: &ContextPart) -> String {
        let zh = std::ptr::eq(self, &ZH);
        part.names()[usize::from(zh)].to_string()
    }

    pub fn status(&self, status: CaseStatus) -> &'static str {
        let zh = std::ptr::eq(self, &ZH);
        let [en, cn] = match status {
            CaseStatus::Queued => ["Waiting for support", "等待处理"],
            CaseStatus::InProgress => ["Being worked on", "处理中"],
            CaseStatus::WaitingOnUser => ["Waiting for your answer", "等待您的回复"],
            CaseStatus::Escalated => ["With a specialist team", "已升级处理"],
            CaseStatus::Resolved => ["Solved — please confirm", "已解决，请确认"],
            CaseStatus::Closed => ["Closed", "已关闭"],
        };
        if zh {
            cn
        } else {
            en
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_for_any_zh_locale_english_otherwise() {
        assert!(std::ptr::eq(strings("zh-CN"), &ZH));
        assert!(std::ptr::eq(strings("ZH"), &ZH));
        assert!(std::ptr::eq(strings("en-GB"), &EN));
        assert!(std::ptr::eq(strings(""), &EN));
    }

    #[test]
    fn both_languages_offer_the_same_choices() {
        let keys = |s: &WidgetStrings| {
            (
                s.categories.map(|c| c.0),
                s.impacts.map(|c| c.0),
                s.urgencies.map(|c| c.0),
            )
        };
        assert_eq!(keys(&EN), keys(&ZH));
        assert_eq!(ZH.status(CaseStatus::Resolved), "已解决，请确认");
        assert_eq!(EN.context_part(&ContextPart::ScreenSize), "Window size");
    }
}
