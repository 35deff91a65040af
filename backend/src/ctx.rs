//! What every handler is handed: the request, the Worker's bindings, its
//! database and settings, and the checks of who is calling. A handler asks
//! the context for the caller it needs (`specialist(role)`, `reporter()`,
//! `caller()`) instead of wiring the database and settings itself.

use std::rc::Rc;

use helpline_shared::api::SpecialistSummary;
use helpline_shared::lifecycle::Role;
use worker::{D1Database, Env, Request};

use crate::cases::service::Caller;
use crate::config::Config;
use crate::error::ApiResult;
use crate::reporters;
use crate::specialists::auth::{self, SpecialistCaller};
use helpline_shared::identity::ReporterIdentity;

/// One request on its way through a handler.
pub struct Ctx<'a> {
    pub req: Request,
    pub env: &'a Env,
    pub db: D1Database,
    pub config: Rc<Config>,
}

impl<'a> Ctx<'a> {
    pub fn new(req: Request, env: &'a Env) -> ApiResult<Self> {
        Ok(Ctx {
            db: env.d1("DB")?,
            config: Config::from_env(env),
            req,
            env,
        })
    }

    /// The specialist behind the bearer token, who must hold at least `role`.
    pub async fn specialist(&self, role: Role) -> ApiResult<SpecialistSummary> {
        auth::require(&self.req, &self.db, &self.config, role).await
    }

    /// An admin, or the bootstrap token while no admin exists.
    pub async fn admin_or_bootstrap(&self) -> ApiResult<SpecialistCaller> {
        auth::require_admin_or_bootstrap(&self.req, &self.db, &self.config).await
    }

    /// The signed reporter the host page vouches for.
    pub fn reporter(&self) -> ApiResult<ReporterIdentity> {
        reporters::identify(&self.req, &self.config)
    }

    /// A specialist if a token is sent, else a signed reporter.
    pub async fn caller(&self) -> ApiResult<Caller> {
        Caller::identify(&self.req, &self.db, &self.config).await
    }
}
