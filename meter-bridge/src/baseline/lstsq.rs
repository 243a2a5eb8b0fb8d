//! Ordinary least squares through faer: a column-pivoted QR decomposition of dense ndarray data,
//! or, for designs of many columns with few non-zero entries per row (the hourly model's), the
//! normal equations accumulated row by row and solved by a Cholesky decomposition that leaves
//! out dependent columns.

use super::FitError;
use faer::{linalg::solvers::SolveLstsq, Mat};
use faer_ext::IntoFaer;
use ndarray::{Array1, ArrayView1, ArrayView2};

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

/// A column whose Cholesky pivot is below this share of its squared norm is taken as a
/// combination of the columns before it: an error of about 10⁻⁶ in its direction, far below
/// what meter data resolve, and far above rounding in the accumulation.
const DEPENDENT: f64 = 1e-10;

/// The normal equations `xᵀW x · β = xᵀW y` of a weighted least-squares problem, accumulated
/// one sparse row at a time: a year of hours with a few hundred columns costs a few hundred
/// thousand multiplications instead of a QR decomposition of the whole design.
#[derive(Clone, Debug)]
pub struct NormalEquations {
	columns: usize,
	/// `xᵀW x`, row-major.
	gram: Vec<f64>,
	/// `xᵀW y`.
	moment: Vec<f64>,
}

impl NormalEquations {
	pub fn new(columns: usize) -> NormalEquations {
		NormalEquations { columns, gram: vec![0.0; columns * columns], moment: vec![0.0; columns] }
	}

	/// Adds the observation `y` of weight `weight` whose row of `x` holds `row`'s (column,
	/// value) pairs, each column at most once, and zeros elsewhere.
	pub fn add(&mut self, row: &[(usize, f64)], y: f64, weight: f64) {
		for &(i, a) in row {
			self.moment[i] += weight * a * y;
			for &(j, b) in row {
				self.gram[i * self.columns + j] += weight * a * b;
			}
		}
	}

	/// The coefficients, `None` for columns that add nothing: no observation had a non-zero
	/// value in them (an hour of the week never seen, an empty bin), or they are a combination
	/// of columns before them (which columns that is depends on the data: an hour-of-day term
	/// can repeat a bin's). Later columns give way to earlier ones.
	pub fn solve(&self) -> Result<Vec<Option<f64>>, FitError> {
		let size = self.columns;
		let gram = |row: usize, column: usize| self.gram[row * size + column];
		// Cholesky factor `L` (lower, row-major), column by column; a column whose pivot has
		// all but vanished against its own norm depends on the kept ones and is left out.
		let mut factor = vec![0.0; size * size];
		let mut kept = vec![false; size];
		for j in 0..size {
			let norm = gram(j, j);
			let row_j = &factor[j * size..j * size + j];
			let pivot = norm - row_j.iter().map(|l| l * l).sum::<f64>();
			if norm <= 0.0 || pivot <= DEPENDENT * norm {
				continue;
			}
			kept[j] = true;
			let diagonal = pivot.sqrt();
			factor[j * size + j] = diagonal;
			for i in j + 1..size {
				let dot: f64 = (0..j).map(|k| factor[i * size + k] * factor[j * size + k]).sum();
				factor[i * size + j] = (gram(i, j) - dot) / diagonal;
			}
		}
		// L z = xᵀy, then Lᵀ β = z, over the kept columns (the others' entries are zero).
		let mut z = vec![0.0; size];
		for i in (0..size).filter(|i| kept[*i]) {
			let dot: f64 = (0..i).map(|k| factor[i * size + k] * z[k]).sum();
			z[i] = (self.moment[i] - dot) / factor[i * size + i];
		}
		let mut beta = vec![0.0; size];
		for i in (0..size).rev().filter(|i| kept[*i]) {
			let dot: f64 = (i + 1..size).map(|k| factor[k * size + i] * beta[k]).sum();
			beta[i] = (z[i] - dot) / factor[i * size + i];
		}
		if beta.iter().any(|value| !value.is_finite()) {
			return Err(FitError::Singular);
		}
		Ok(beta.into_iter().zip(kept).map(|(value, kept)| kept.then_some(value)).collect())
	}
}
