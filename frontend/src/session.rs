//! Who is signed in.
//!
//! The access token lives in memory only. The refresh token is an HttpOnly cookie that
//! scripts never see: on start the app trades it for an access token, so a session
//! survives a reload, and it trades it again shortly before the access token expires.

use crate::api::{self, ApiError};
use crate::i18n::I18n;
use hackops_shared::auth::{TokenResponse, UserDto};
use hackops_shared::error::{ErrorBody, ErrorCode};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

type RefreshResult = Result<TokenResponse, ApiError>;

/// One refresh request and the callers waiting for its answer.
#[derive(Default)]
struct Flight {
    result: Option<RefreshResult>,
    waiters: Vec<Waker>,
}

thread_local! {
    /// The refresh under way, if any: a refresh token is single-use, so concurrent callers
    /// must share one request instead of racing with the same cookie.
    static IN_FLIGHT: RefCell<Option<Rc<RefCell<Flight>>>> = const { RefCell::new(None) };
}

/// Resolves when the shared refresh has answered.
struct Landing(Rc<RefCell<Flight>>);

impl Future for Landing {
    type Output = RefreshResult;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<RefreshResult> {
        let mut flight = self.0.borrow_mut();
        match &flight.result {
            Some(result) => Poll::Ready(result.clone()),
            None => {
                flight.waiters.push(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Sends one refresh request, or joins the one already under way.
async fn shared_refresh(lang: hackops_shared::lang::Lang) -> RefreshResult {
    let joined = IN_FLIGHT.with(|slot| slot.borrow().clone());
    if let Some(flight) = joined {
        return Landing(flight).await;
    }
    let flight = Rc::new(RefCell::new(Flight::default()));
    IN_FLIGHT.with(|slot| *slot.borrow_mut() = Some(flight.clone()));
    let result = api::auth::refresh(lang).await;
    IN_FLIGHT.with(|slot| slot.borrow_mut().take());
    let waiters = {
        let mut flight = flight.borrow_mut();
        flight.result = Some(result.clone());
        std::mem::take(&mut flight.waiters)
    };
    waiters.into_iter().for_each(Waker::wake);
    result
}

#[derive(Clone, Debug, PartialEq)]
struct Signed {
    user: UserDto,
    access_token: String,
}

#[derive(Clone, Copy)]
pub struct Session {
    state: RwSignal<Option<Signed>>,
    /// False until the first refresh has answered: the header then knows what to show.
    ready: RwSignal<bool>,
    /// Bumped by every sign-in and sign-out, so a slow refresh cannot undo them.
    generation: StoredValue<u64>,
    timer: StoredValue<Option<TimeoutHandle>>,
    i18n: I18n,
}

impl Session {
    pub fn new(i18n: I18n) -> Self {
        Self {
            state: RwSignal::new(None),
            ready: RwSignal::new(false),
            generation: StoredValue::new(0),
            timer: StoredValue::new(None),
            i18n,
        }
    }

    /// Restores the session of the refresh cookie, if there is one. The cookie is HttpOnly,
    /// so a flag in local storage tells whether asking is worth a request: a visitor who
    /// never signed in costs the server nothing.
    pub fn start(self) {
        if !has_marker() {
            self.ready.set(true);
            return;
        }
        spawn_local(async move {
            // No cookie is the common case for a visitor: not an error to show.
            let _ = self.refresh().await;
            self.ready.set(true);
        });
    }

    pub fn is_ready(self) -> bool {
        self.ready.get()
    }

    /// The signed-in person (tracked).
    pub fn user(self) -> Option<UserDto> {
        self.state.with(|s| s.as_ref().map(|s| s.user.clone()))
    }

    /// Ends a sign-in or sign-up form: on success keep the session, greet the person (screen
    /// readers too) and go home; on failure show the error on the form.
    pub fn conclude_form(
        self,
        result: Result<TokenResponse, ApiError>,
        form: crate::components::form::FormState,
        announcer: crate::components::status::Announcer,
        i18n: I18n,
        go_home: impl FnOnce(),
    ) {
        match result {
            Ok(tokens) => {
                let name = tokens.user.display_name.clone();
                self.accept(tokens);
                form.done();
                announcer.say((i18n.texts_untracked().welcome)(&name));
                go_home();
            }
            Err(error) => form.fail(error),
        }
    }

    /// Keeps the tokens of a successful sign-in, sign-up or refresh.
    pub fn accept(self, tokens: TokenResponse) {
        self.generation.update_value(|g| *g += 1);
        self.adopt(tokens);
    }

    fn adopt(self, tokens: TokenResponse) {
        set_marker(true);
        self.ready.set(true);
        self.schedule_refresh(tokens.expires_in);
        self.state.set(Some(Signed { user: tokens.user, access_token: tokens.access_token }));
    }

    /// Closes the session here and on the server.
    pub async fn sign_out(self) {
        let token = self.state.with_untracked(|s| s.as_ref().map(|s| s.access_token.clone()));
        self.generation.update_value(|g| *g += 1);
        self.clear();
        // Even if the call fails the local state is gone; the cookie then dies on its own.
        let _ = api::auth::logout(self.i18n.lang_untracked(), token.as_deref()).await;
    }

    fn clear(self) {
        set_marker(false);
        self.cancel_timer();
        self.state.set(None);
    }

    fn cancel_timer(self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }

    /// Renews the access token a minute (or a fifth of its life) before it expires.
    fn schedule_refresh(self, expires_in: u64) {
        self.cancel_timer();
        let lead = (expires_in / 5).min(60);
        let delay = Duration::from_secs(expires_in.saturating_sub(lead).max(5));
        self.arm(delay);
    }

    fn arm(self, delay: Duration) {
        let handle = set_timeout_with_handle(
            move || {
                self.timer.set_value(None);
                spawn_local(async move {
                    if let Err(ApiError::Network) = self.refresh().await {
                        // Offline for a moment: try again soon rather than lose the session.
                        self.arm(Duration::from_secs(30));
                    }
                });
            },
            delay,
        );
        self.timer.set_value(handle.ok());
    }

    /// Renews the access token now, in the background (the realtime link asks when the
    /// server says the token it holds has expired). Nothing to do when signed out.
    pub fn refresh_soon(self) {
        if self.token().is_some() {
            self.cancel_timer();
            self.arm(Duration::ZERO);
        }
    }

    /// Trades the refresh cookie for a new access token; returns it.
    pub async fn refresh(self) -> Result<String, ApiError> {
        let generation = self.generation.get_value();
        let result = shared_refresh(self.i18n.lang_untracked()).await;
        if self.generation.get_value() != generation {
            // Someone signed in or out meanwhile: their state wins.
            return self.token().ok_or_else(unauthenticated);
        }
        match result {
            Ok(tokens) => {
                let token = tokens.access_token.clone();
                self.adopt(tokens);
                Ok(token)
            }
            Err(error) => {
                if matches!(error, ApiError::Api { status: 401, .. }) {
                    self.clear();
                }
                Err(error)
            }
        }
    }

    /// The current access token, without subscribing to changes.
    pub fn token(self) -> Option<String> {
        self.state.with_untracked(|s| s.as_ref().map(|s| s.access_token.clone()))
    }

    /// The current access token (tracked): changes on sign-in, refresh and sign-out.
    pub fn access_token(self) -> Option<String> {
        self.state.with(|s| s.as_ref().map(|s| s.access_token.clone()))
    }

    /// Runs an authenticated call; when the access token has expired, refreshes once and
    /// tries again.
    pub async fn authorized<T, F, Fut>(self, call: F) -> Result<T, ApiError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let token = self.token().ok_or_else(unauthenticated)?;
        match call(token).await {
            Err(error) if error.is(ErrorCode::TokenExpired) => {
                let token = self.refresh().await?;
                call(token).await
            }
            other => other,
        }
    }

    /// What a page loads for the signed-in person: `None` while nobody is signed in, and
    /// loaded again whenever someone else signs in.
    pub fn resource<T, F, Fut>(
        self,
        i18n: I18n,
        call: F,
    ) -> LocalResource<Option<Result<T, ApiError>>>
    where
        T: 'static,
        F: Fn(String, hackops_shared::lang::Lang) -> Fut + Copy + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let signed_in = Memo::new(move |_| self.user().map(|u| u.id));
        LocalResource::new(move || {
            let user = signed_in.get();
            let lang = i18n.lang_untracked();
            async move {
                user?;
                Some(self.authorized(|token| call(token, lang)).await)
            }
        })
    }
}

fn unauthenticated() -> ApiError {
    ApiError::Api {
        status: 401,
        body: ErrorBody::new(ErrorCode::Unauthenticated, Default::default()),
    }
}

const MARKER: &str = "hackops.signed_in";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// True when storage is unavailable: then only a request can tell.
fn has_marker() -> bool {
    storage().is_none_or(|s| !matches!(s.get_item(MARKER), Ok(None)))
}

fn set_marker(signed_in: bool) {
    if let Some(storage) = storage() {
        // Without storage the app only forgets to restore the session after a reload.
        let _ = if signed_in { storage.set_item(MARKER, "1") } else { storage.remove_item(MARKER) };
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
