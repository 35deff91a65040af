//! The Worker's settings, read from its environment (wrangler.toml `[vars]`,
//! secrets, or `--var` locally). Every knob an operator can turn is here, with
//! its default.

use std::cell::OnceCell;
use std::rc::Rc;

use helpline_shared::claim::ClaimLease;
use helpline_shared::escalation::EscalationPolicy;
use helpline_shared::malfunction::MalfunctionRule;
use helpline_shared::sla::SlaPolicy;
use worker::Env;

pub struct Config {
    /// The secret host platforms sign user ids with (HMAC-SHA256).
    pub identity_secret: String,
    /// Accept unsigned user ids (the local demo only; never in production).
    pub demo_unsigned_users: bool,
    /// A token that acts as an admin, to create the first real specialists.
    pub admin_bootstrap_token: String,
    pub claim_lease: ClaimLease,
    pub sla_policy: SlaPolicy,
    /// New cases per reporter, and per client IP, in one minute.
    pub cases_per_reporter_per_minute: u32,
    pub cases_per_ip_per_minute: u32,
    /// Messages one reporter may write on one case in a minute.
    pub messages_per_case_per_minute: u32,
    /// Warn when this share of an SLA window has gone by.
    pub sla_warn_at: f64,
    /// Teams, levels, the leads' rota, and what breaches do on their own.
    pub escalation: EscalationPolicy,
    /// How many look-alike cases in how long open an incident.
    pub malfunction: MalfunctionRule,
    /// The team channel's incoming webhook (Slack-compatible or Lark/Feishu);
    /// empty: notifications are dropped by the consumer, with a log line.
    pub im_webhook_url: String,
    /// Messages a minute the team channel gets; past it, one digest.
    pub im_messages_per_minute: u32,
    /// The zone and local hour at which the cron writes yesterday's report.
    pub report_time_zone: String,
    pub report_hour: u32,
}

fn text(env: &Env, name: &str) -> String {
    env.secret(name)
        .map(|s| s.to_string())
        .or_else(|_| env.var(name).map(|v| v.to_string()))
        .unwrap_or_default()
}

/// A JSON setting; a value that does not parse is logged and the default used,
/// so a typo in one knob cannot take the whole desk down.
fn structured<T: serde::de::DeserializeOwned + Default>(env: &Env, name: &str) -> T {
    let raw = text(env, name);
    if raw.trim().is_empty() {
        return T::default();
    }
    serde_json::from_str(&raw).unwrap_or_else(|err| {
        worker::console_error!("{name} is not valid ({err}); using the default");
        T::default()
    })
}

fn number<T: std::str::FromStr>(env: &Env, name: &str, default: T) -> T {
    text(env, name).trim().parse().unwrap_or(default)
}

thread_local! {
    /// The settings as first read in this isolate. An isolate runs one
    /// version of the Worker, and a version's vars and secrets never change
    /// under it (a new value is a new version, in new isolates); so three JSON
    /// policies are not parsed again for every check of every request.
    static READ: OnceCell<Rc<Config>> = const { OnceCell::new() };
}

impl Config {
    /// The Worker's settings, read from `env` once per isolate.
    pub fn from_env(env: &Env) -> Rc<Config> {
        READ.with(|read| read.get_or_init(|| Rc::new(Config::read(env))).clone())
    }

    fn read(env: &Env) -> Config {
        Config {
            identity_secret: text(env, "IDENTITY_SECRET"),
            demo_unsigned_users: text(env, "DEMO_UNSIGNED_USERS") == "true",
            admin_bootstrap_token: text(env, "ADMIN_BOOTSTRAP_TOKEN"),
            claim_lease: ClaimLease::from_seconds(number(env, "CLAIM_LEASE_SECONDS", 1800)),
            sla_policy: structured(env, "SLA_POLICY"),
            cases_per_reporter_per_minute: number(env, "CASES_PER_REPORTER_PER_MINUTE", 10),
            cases_per_ip_per_minute: number(env, "CASES_PER_IP_PER_MINUTE", 60),
            messages_per_case_per_minute: number(
                env,
                "MESSAGES_PER_CASE_PER_MINUTE",
                helpline_shared::rate_limit::DEFAULT_MESSAGES_PER_CASE_PER_MINUTE,
            ),
            sla_warn_at: number(
                env,
                "SLA_WARN_AT",
                helpline_shared::sla_watch::DEFAULT_WARN_AT,
            )
            .clamp(0.0, 1.0),
            escalation: structured(env, "ESCALATION_POLICY"),
            malfunction: structured(env, "MALFUNCTION_RULE"),
            im_webhook_url: text(env, "IM_WEBHOOK_URL").trim().to_string(),
            im_messages_per_minute: number(
                env,
                "IM_MESSAGES_PER_MINUTE",
                helpline_shared::channel::DEFAULT_MESSAGES_PER_MINUTE,
            )
            .max(1),
            report_time_zone: Some(text(env, "REPORT_TIME_ZONE").trim().to_string())
                .filter(|z| !z.is_empty())
                .unwrap_or_else(|| "UTC".into()),
            report_hour: number(env, "REPORT_HOUR", 6).min(23),
        }
    }
}
