//! Refusals of server functions with the HTTP status that says why: bad input is a 4xx for
//! browsers, proxies and logs alike, and only the portal's own failures are 5xx.

use std::fmt::Display;

use axum::http::StatusCode;
use leptos::prelude::{use_context, ServerFnError};

use super::{pending::PendingError, session::SignInError, wizard::DraftError};

/// An error that knows the HTTP status it answers with.
pub trait HttpStatus: Display {
	fn status(&self) -> StatusCode;
}

impl HttpStatus for SignInError {
	fn status(&self) -> StatusCode {
		match self {
			SignInError::NoRandomness(_) => StatusCode::INTERNAL_SERVER_ERROR,
			SignInError::Busy => StatusCode::SERVICE_UNAVAILABLE,
			SignInError::TooManyFromHere => StatusCode::TOO_MANY_REQUESTS,
			SignInError::BadAddress(_) | SignInError::MalformedSignature => StatusCode::BAD_REQUEST,
			SignInError::UnknownChallenge
			| SignInError::Expired(_)
			| SignInError::WrongSignature => StatusCode::UNAUTHORIZED,
		}
	}
}

impl HttpStatus for PendingError {
	fn status(&self) -> StatusCode {
		match self {
			PendingError::NotSignedIn => StatusCode::UNAUTHORIZED,
			PendingError::OtherAccount | PendingError::NotAMember => StatusCode::FORBIDDEN,
			PendingError::Unknown => StatusCode::NOT_FOUND,
			PendingError::Expired => StatusCode::GONE,
			PendingError::BadSignature | PendingError::Chain(_) => StatusCode::UNPROCESSABLE_ENTITY,
			PendingError::Busy | PendingError::NodeDown => StatusCode::SERVICE_UNAVAILABLE,
			PendingError::Server(_) => StatusCode::INTERNAL_SERVER_ERROR,
		}
	}
}

impl HttpStatus for DraftError {
	fn status(&self) -> StatusCode {
		StatusCode::UNPROCESSABLE_ENTITY
	}
}

/// `error` as a server function's error, its status set on the response.
pub fn refused(error: impl HttpStatus) -> ServerFnError {
	respond_with(error.status());
	ServerFnError::new(error.to_string())
}

/// A request the server function cannot take, with what is wrong with it.
pub fn bad_request(message: impl Display) -> ServerFnError {
	respond_with(StatusCode::BAD_REQUEST);
	ServerFnError::new(message.to_string())
}

fn respond_with(status: StatusCode) {
	if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
		response.set_status(status);
	}
}
