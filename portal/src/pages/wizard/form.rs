//! The draft as the wizard's form holds it while the member types.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::wizard::{Draft, Review, TemplateChoice};

/// The draft's values as the form holds them.
#[derive(Clone, Copy)]
pub struct Form {
	pub template: RwSignal<String>,
	pub provider: RwSignal<Option<u32>>,
	pub client: RwSignal<Option<u32>>,
	pub sites: RwSignal<Vec<u32>>,
	pub meters: RwSignal<Vec<u32>>,
	pub values: RwSignal<BTreeMap<String, String>>,
	pub review: RwSignal<Option<Result<Review, String>>>,
}

impl Form {
	pub fn draft(&self) -> Draft {
		Draft {
			template: self.template.get_untracked(),
			provider: self.provider.get_untracked(),
			client: self.client.get_untracked(),
			sites: self.sites.get_untracked(),
			meters: self.meters.get_untracked(),
			values: self.values.get_untracked(),
		}
	}

	/// Any change makes the review stale: only a reviewed draft is signed.
	pub fn changed(&self) {
		self.review.set(None);
	}

	/// Starts `template`'s fields from their defaults, keeping what was typed in fields of the
	/// same key.
	pub fn choose(&self, template: &TemplateChoice) {
		self.template.set(template.key.clone());
		self.values.update(|values| {
			let typed = std::mem::take(values);
			for field in &template.fields {
				let value = typed.get(&field.key).cloned().unwrap_or_else(|| field.default.clone());
				values.insert(field.key.clone(), value);
			}
		});
		self.meters.set(Vec::new());
		self.changed();
	}

	pub fn toggle(&self, list: RwSignal<Vec<u32>>, id: u32, checked: bool) {
		list.update(|list| {
			list.retain(|item| *item != id);
			if checked {
				list.push(id);
			}
		});
		self.changed();
	}
}
