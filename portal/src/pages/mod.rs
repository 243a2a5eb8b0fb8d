pub mod building;
pub mod council;
pub mod members;
pub mod overview;
