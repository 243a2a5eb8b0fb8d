//! The wizard's inputs: parties, sites and meters to tick, and a template's fields.

use leptos::prelude::*;

use super::form::Form;
use crate::wizard::{Field, Input, PartyChoice};

/// A checkbox adding `id` to `list` while it is checked.
pub fn check_box(form: Form, list: RwSignal<Vec<u32>>, id: u32, label: String) -> impl IntoView {
	view! {
		<label class="check">
			<input
				type="checkbox"
				prop:checked=move || list.get().contains(&id)
				on:change=move |event| form.toggle(list, id, event_target_checked(&event))
			/>
			{label}
		</label>
	}
}

/// A choice of the member that is the `role` (provider or client), with its roles.
pub fn party_select(
	form: Form,
	role: &'static str,
	party: RwSignal<Option<u32>>,
	members: &[PartyChoice],
) -> impl IntoView {
	let options = members
		.iter()
		.map(|member| {
			view! {
				<option value=member.id.to_string()>
					{format!("{} ({})", member.name, member.roles.join(", "))}
				</option>
			}
		})
		.collect_view();
	// Labelled by `for`, not by wrapping: the options' text (roles such as OracleProvider) would
	// otherwise be part of the select's name.
	let id = format!("party-{}", role.to_lowercase());
	view! {
		<div class="party">
			<label for=id.clone()>{role}</label>
			<select
				id=id
				on:change=move |event| {
					party.set(parse_id(&event_target_value(&event)));
					form.changed();
				}
			>
				<option value="">"Choose…"</option>
				{options}
			</select>
		</div>
	}
}

/// The input of one field, with what the template allows; hidden while it does not apply.
pub fn field_input(form: Form, field: Field) -> AnyView {
	let Field { key, label, input, allowed, when, .. } = field;
	let shown = move || match &when {
		Some((other, value)) => form.values.with(|values| values.get(other) == Some(value)),
		None => true,
	};
	let value_key = key.clone();
	let value =
		move || form.values.with(|values| values.get(&value_key).cloned().unwrap_or_default());
	let set = move |event: leptos::ev::Event| {
		let text = event_target_value(&event);
		form.values.update(|values| {
			values.insert(key.clone(), text);
		});
		form.changed();
	};
	let hint = (!allowed.is_empty()).then(|| view! { <small>{allowed}</small> });
	let control = match input {
		Input::Number => {
			view! { <input type="text" inputmode="decimal" prop:value=value on:input=set /> }
				.into_any()
		}
		Input::Date => view! { <input type="date" prop:value=value on:input=set /> }.into_any(),
		Input::Text => view! { <input type="text" prop:value=value on:input=set /> }.into_any(),
		Input::Baseline => {
			view! { <textarea rows="6" prop:value=value on:input=set></textarea> }.into_any()
		}
		Input::Choice(choices) => {
			let choices = choices
				.into_iter()
				.map(|(choice, label)| {
					let (current, own) = (value.clone(), choice.clone());
					let selected = move || current() == own;
					view! {
						<option value=choice selected=selected>
							{label}
						</option>
					}
				})
				.collect_view();
			view! { <select on:change=set>{choices}</select> }.into_any()
		}
	};
	view! {
		<label class="field" class:hidden=move || !shown()>
			{label}
			{hint}
			{control}
		</label>
	}
	.into_any()
}

fn parse_id(text: &str) -> Option<u32> {
	text.parse().ok()
}
