pub mod event;
pub mod event_ops;
pub mod home;
pub mod manage;
pub mod not_found;
pub mod sign_in;
pub mod sign_up;
