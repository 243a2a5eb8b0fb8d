//! Ordinary least squares through faer's column-pivoted QR decomposition, on ndarray data.

use super::FitError;
use faer::{linalg::solvers::SolveLstsq, Mat, Side};
use faer_ext::IntoFaer;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

/// A least-squares solution of `x · β ≈ y`.
#[derive(Clone, Debug)]
pub struct Solution {
	pub coefficients: Array1<f64>,
	/// `x · β`.
	pub fitted: Array1<f64>,
}

/// Solves `x · β ≈ y` in the least-squares sense. `x` needs at least as many rows as columns
/// and independent columns (callers drop columns that are all zero).
pub fn solve(x: ArrayView2<f64>, y: ArrayView1<f64>) -> Result<Solution, FitError> {
	let (rows, columns) = x.dim();
	if rows < columns || columns == 0 {
		return Err(FitError::TooFewObservations { observations: rows, parameters: columns });
	}
	let design = x.into_faer();
	let qr = design.col_piv_qr();
	let rhs = Mat::from_fn(rows, 1, |row, _| y[row]);
	let beta = qr.solve_lstsq(&rhs);
	let coefficients = Array1::from_shape_fn(columns, |column| beta[(column, 0)]);
	if coefficients.iter().any(|value| !value.is_finite()) {
		return Err(FitError::Singular);
	}
	let fitted = x.dot(&coefficients);
	Ok(Solution { coefficients, fitted })
}

/// A least-squares solution over the columns of `x` that hold data.
#[derive(Clone, Debug)]
pub struct SparseSolution {
	/// Per column of `x`: its coefficient, `None` for a column of zeros (no data, no term).
	pub coefficients: Vec<Option<f64>>,
	pub fitted: Array1<f64>,
	/// Columns that took part: the parameters of the fit.
	pub used: usize,
}

/// Solves `x · β ≈ y` leaving out the columns of `x` that are all zero (an hour of the week or
/// a bin never seen), which would leave the system without a unique solution.
pub fn solve_present(x: ArrayView2<f64>, y: ArrayView1<f64>) -> Result<SparseSolution, FitError> {
	let present: Vec<usize> =
		(0..x.ncols()).filter(|&c| x.column(c).iter().any(|v| *v != 0.0)).collect();
	let solution = solve(x.select(ndarray::Axis(1), &present).view(), y)?;
	let mut coefficients = vec![None; x.ncols()];
	for (index, &column) in present.iter().enumerate() {
		coefficients[column] = Some(solution.coefficients[index]);
	}
	Ok(SparseSolution { coefficients, fitted: solution.fitted, used: present.len() })
}

/// `(xᵀx)⁻¹`, which scales the residual variance into the coefficients' covariance.
pub fn inverse_gram(x: ArrayView2<f64>) -> Result<Array2<f64>, FitError> {
	let gram = x.t().dot(&x);
	let size = gram.nrows();
	let cholesky = gram.view().into_faer().llt(Side::Lower).map_err(|_| FitError::Singular)?;
	let inverse = faer::linalg::solvers::DenseSolveCore::inverse(&cholesky);
	Ok(Array2::from_shape_fn((size, size), |(row, column)| inverse[(row, column)]))
}
