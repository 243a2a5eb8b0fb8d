//! The page shell, the router and the navigation every page shares.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
	components::{Route, Router, Routes, A},
	path,
};

use crate::pages::{
	building::BuildingPage,
	contracts::{ContractDetailPage, ContractsPage},
	council::CouncilPage,
	members::{MemberDetailPage, MembersPage},
	meter::MeterPage,
	overview::CampusOverview,
	sign_in::{SessionChanges, SessionMenu, SignInPage},
	wizard::ContractWizardPage,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
	view! {
		<!DOCTYPE html>
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				// No icon: spares browsers a request that would only find a 404.
				<link rel="icon" href="data:," />
				<HydrationScripts options />
				<MetaTags />
			</head>
			<body>
				<App />
			</body>
		</html>
	}
}

/// BlockPortal: the campus overview and, as they land, the members', contracts' and meters'
/// pages.
#[component]
pub fn App() -> impl IntoView {
	provide_meta_context();
	SessionChanges::provide();
	view! {
		<Stylesheet id="portal" href="/pkg/portal.css" />
		<Title text="BlockPortal" />
		<Router>
			<header class="top">
				<A href="/" attr:class="brand">
					"BlockPortal"
				</A>
				<nav aria-label="Main">
					<A href="/">"Campus"</A>
					<A href="/members">"Members"</A>
					<A href="/contracts">"Contracts"</A>
					<A href="/council">"Council"</A>
					<a href="/api/v1/openapi.json">"API"</a>
				</nav>
				<SessionMenu />
			</header>
			<main>
				<Routes fallback=|| view! { <p class="notice">"There is no such page."</p> }>
					<Route path=path!("/") view=CampusOverview />
					<Route path=path!("/buildings/:id") view=BuildingPage />
					<Route path=path!("/meters/:id") view=MeterPage />
					<Route path=path!("/members") view=MembersPage />
					<Route path=path!("/members/:id") view=MemberDetailPage />
					<Route path=path!("/contracts") view=ContractsPage />
					<Route path=path!("/contracts/new") view=ContractWizardPage />
					<Route path=path!("/contracts/:id") view=ContractDetailPage />
					<Route path=path!("/council") view=CouncilPage />
					<Route path=path!("/sign-in") view=SignInPage />
				</Routes>
			</main>
		</Router>
	}
}
