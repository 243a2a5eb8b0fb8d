use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{mock::*, pallet::*, Event};
use frame_support::{assert_noop, assert_ok};

#[test]
fn registers_site_for_a_building_owner() {
	run(|| {
		assert_ok!(Meters::register_site(RuntimeOrigin::signed(1), site_details("Main hall")));
		let site = Sites::<Test>::get(0).unwrap();
		assert_eq!(site.owner, 0);
		assert_eq!(site.details, site_details("Main hall"));
		assert!(site.meters.is_empty());
		assert!(OwnerSites::<Test>::contains_key(0, 0));
		assert_eq!(NextSiteId::<Test>::get(), 1);
		System::assert_last_event(Event::SiteRegistered { site: 0, owner: 0 }.into());
	});
}

#[test]
fn refuses_site_from_non_member() {
	run(|| {
		assert_noop!(
			Meters::register_site(RuntimeOrigin::signed(9), site_details("Hall")),
			Error::<Test>::NotAMember
		);
	});
}

#[test]
fn refuses_site_from_member_without_building_owner_role() {
	run(|| {
		assert_noop!(
			Meters::register_site(RuntimeOrigin::signed(3), site_details("Hall")),
			Error::<Test>::NotABuildingOwner
		);
	});
}

#[test]
fn refuses_site_with_empty_name() {
	run(|| {
		let mut details = site_details("Hall");
		details.name = Default::default();
		assert_noop!(
			Meters::register_site(RuntimeOrigin::signed(1), details),
			Error::<Test>::EmptyName
		);
	});
}

#[test]
fn refuses_site_outside_the_globe() {
	run(|| {
		for (latitude, longitude) in
			[(90_000_001, 0), (-90_000_001, 0), (0, 180_000_001), (0, -180_000_001)]
		{
			let mut details = site_details("Hall");
			details.location.latitude = latitude;
			details.location.longitude = longitude;
			assert_noop!(
				Meters::register_site(RuntimeOrigin::signed(1), details),
				Error::<Test>::InvalidLocation
			);
		}
	});
}

#[test]
fn refuses_site_with_bad_region_code() {
	run(|| {
		for region in [&b""[..], b"DE BE", b"D\xc3\xa9"] {
			let mut details = site_details("Hall");
			details.location.region = region.to_vec().try_into().unwrap();
			assert_noop!(
				Meters::register_site(RuntimeOrigin::signed(1), details),
				Error::<Test>::InvalidRegion
			);
		}
	});
}

#[test]
fn refuses_site_with_bad_time_zone() {
	run(|| {
		for zone in [&b""[..], b"Europe/Ber lin", b"UTC;drop"] {
			let mut details = site_details("Hall");
			details.time_zone = zone.to_vec().try_into().unwrap();
			assert_noop!(
				Meters::register_site(RuntimeOrigin::signed(1), details),
				Error::<Test>::InvalidTimeZone
			);
		}
	});
}

#[test]
fn refuses_site_without_floor_area() {
	run(|| {
		let mut details = site_details("Hall");
		details.floor_area = 0;
		assert_noop!(
			Meters::register_site(RuntimeOrigin::signed(1), details),
			Error::<Test>::ZeroFloorArea
		);
	});
}

#[test]
fn refuses_site_when_numbers_run_out() {
	run(|| {
		NextSiteId::<Test>::put(u32::MAX);
		assert_noop!(
			Meters::register_site(RuntimeOrigin::signed(1), site_details("Hall")),
			Error::<Test>::NumbersExhausted
		);
		NextSiteId::<Test>::put(0);
	});
}

#[test]
fn owner_updates_site_from_any_of_its_accounts() {
	run(|| {
		campus();
		let mut details = site_details("Main hall");
		details.floor_area = 12_500;
		assert_ok!(Meters::update_site(RuntimeOrigin::signed(4), 0, details.clone()));
		assert_eq!(Sites::<Test>::get(0).unwrap().details, details);
		assert_eq!(Sites::<Test>::get(0).unwrap().meters.len(), 2);
		System::assert_last_event(Event::SiteUpdated { site: 0 }.into());
	});
}

#[test]
fn refuses_update_by_another_member() {
	run(|| {
		campus();
		assert_noop!(
			Meters::update_site(RuntimeOrigin::signed(2), 0, site_details("Mine now")),
			Error::<Test>::NotSiteOwner
		);
	});
}

#[test]
fn refuses_update_of_unknown_site() {
	run(|| {
		assert_noop!(
			Meters::update_site(RuntimeOrigin::signed(1), 7, site_details("Nowhere")),
			Error::<Test>::UnknownSite
		);
	});
}

#[test]
fn refuses_update_with_invalid_details() {
	run(|| {
		campus();
		let mut details = site_details("Main hall");
		details.floor_area = 0;
		assert_noop!(
			Meters::update_site(RuntimeOrigin::signed(1), 0, details),
			Error::<Test>::ZeroFloorArea
		);
	});
}
