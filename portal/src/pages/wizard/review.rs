//! The review of a draft: what the contract agrees in words, and the button that has the
//! proposer's wallet sign it.

use leptos::prelude::*;

use super::{form::Form, prepare_proposal};
use crate::pages::transact::{sign_in_wallet, Outcome};

/// What the reviewed draft agrees, with the button that proposes it; nothing before a review,
/// the problem when the review found one.
pub fn review_section(form: Form, outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
	let propose = move |_| {
		sign_in_wallet(outcome, prepare_proposal(form.draft()), |block| {
			format!(
				"The contract was proposed with your signature (block {block}). It is a draft \
				 under Contracts until the other party signs it there."
			)
		});
	};
	move || match form.review.get() {
		None => ().into_any(),
		Some(Err(problem)) => {
			view! { <p class="notice error" role="alert">{problem}</p> }.into_any()
		}
		Some(Ok(review)) => {
			let sentences = review
				.sentences
				.into_iter()
				.map(|sentence| view! { <li>{sentence}</li> })
				.collect_view();
			view! {
				<section aria-labelledby="review-heading" class="review">
					<h2 id="review-heading">"What the contract agrees"</h2>
					<ul class="terms">{sentences}</ul>
					<button type="button" class="sign" on:click=propose>
						"Sign and propose"
					</button>
				</section>
			}
			.into_any()
		}
	}
}
