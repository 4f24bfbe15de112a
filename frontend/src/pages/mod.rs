pub mod event;
pub mod home;
pub mod not_found;
pub mod sign_in;
pub mod sign_up;
