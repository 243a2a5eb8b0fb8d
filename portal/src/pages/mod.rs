pub mod building;
pub mod contracts;
pub mod council;
pub mod members;
pub mod overview;
pub mod sign_in;
pub mod transact;
pub mod wizard;
