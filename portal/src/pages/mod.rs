pub mod building;
pub mod overview;
