//! Past interval data as Green Button: the NAESB ESPI XML North American utilities export, an
//! Atom feed whose entries hold a usage point's `MeterReading`s, each linked to the
//! `ReadingType` that gives its unit, power of ten and direction of flow and to the
//! `IntervalBlock`s of its readings (start in seconds since the epoch, UTC, so no time zone is
//! guessed). Energy in Wh (uom 72) as interval deltas is read: flow forward is grid import,
//! reverse grid export, net either by its sign. Anything else is refused by its line.

use super::{Channel, ImportError, Interval};
use roxmltree::{Document, Node, ParsingOptions};
use std::{cell::RefCell, collections::HashMap};

/// The most XML nodes a file may have: a year of 15-minute readings in both directions is about
/// 600 000; the cap bounds the memory a hostile file can take.
const MAX_NODES: u32 = 8_000_000;

/// ESPI's unit of measure for watt-hours.
const WATT_HOURS: i64 = 72;
/// ESPI's accumulation behaviour of interval deltas (the only one that sums to hours).
const DELTA_DATA: i64 = 4;
/// ESPI's flow directions.
const FORWARD: i64 = 1;
const NET: i64 = 4;
const REVERSE: i64 = 19;

/// How the values of the readings a `ReadingType` describes become intervals.
#[derive(Clone, Copy, Debug)]
struct Unit {
	/// Wh per value.
	scale: f64,
	flow: i64,
}

/// The intervals of the Green Button document `text` (named `file` in errors).
pub fn read(text: &str, file: &str) -> Result<Vec<Interval>, ImportError> {
	let options = ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES };
	let document = Document::parse_with_options(text, options).map_err(|e| {
		ImportError::line(file, e.pos().row as usize, format!("not well-formed XML: {e}"))
	})?;
	let lines = RefCell::new(Lines { text, position: 0, line: 1 });
	let line = |node: Node| lines.borrow_mut().at(node.range().start);
	let root = document.root_element();
	let entries: Vec<Node> = match root.tag_name().name() {
		"feed" => root.children().filter(|n| n.tag_name().name() == "entry").collect(),
		"entry" => vec![root],
		other => {
			return Err(ImportError::line(
				file,
				line(root),
				format!("not a Green Button file: its root is <{other}>, not an Atom <feed>"),
			))
		}
	};

	// Each entry's resource (the element in its content) and links.
	let mut reading_types: HashMap<&str, Unit> = HashMap::new();
	let mut unnamed_types = 0usize;
	let mut meter_readings: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
	let mut blocks: Vec<(Option<&str>, Node)> = Vec::new();
	let mut usage_points = 0usize;
	for entry in entries {
		let link = |rel: &str| -> Vec<&str> {
			entry
				.children()
				.filter(|n| n.tag_name().name() == "link")
				.filter(|n| n.attribute("rel").unwrap_or("alternate") == rel)
				.filter_map(|n| n.attribute("href"))
				.collect()
		};
		let Some(resource) = entry
			.children()
			.find(|n| n.tag_name().name() == "content")
			.and_then(|content| content.children().find(Node::is_element))
		else {
			continue;
		};
		let me = link("self").first().copied();
		match resource.tag_name().name() {
			"ReadingType" => {
				let unit = reading_type(resource, file, line(resource))?;
				let Some(me) = me else {
					unnamed_types += 1;
					reading_types.insert("", unit);
					continue;
				};
				if reading_types.insert(me, unit).is_some() {
					return Err(ImportError::line(
						file,
						line(resource),
						format!("a second ReadingType at {me}"),
					));
				}
			}
			"MeterReading" => meter_readings.push((me, link("related"))),
			"IntervalBlock" => blocks.push((link("up").first().copied(), resource)),
			"UsagePoint" => {
				usage_points += 1;
				if usage_points > 1 {
					return Err(ImportError::line(
						file,
						line(resource),
						"a second UsagePoint: a file imported for a site holds one service \
						 point's readings",
					));
				}
			}
			_ => {}
		}
	}
	if blocks.is_empty() {
		return Err(ImportError::file(file, "no IntervalBlock: the file holds no interval data"));
	}
	// Only a file with one ReadingType and at most one MeterReading needs no links to say
	// which unit a block is in; otherwise a ReadingType without a name could be anyone's.
	let only = (reading_types.len() == 1 && unnamed_types <= 1 && meter_readings.len() <= 1)
		.then(|| reading_types.values().next().copied())
		.flatten();
	if unnamed_types > 0 && only.is_none() {
		return Err(ImportError::file(
			file,
			"a ReadingType without a `self` link among several: its readings cannot be told",
		));
	}

	let mut intervals = Vec::new();
	for (up, block) in blocks {
		let unit = unit_of(up, &meter_readings, &reading_types).or(only).ok_or_else(|| {
			ImportError::line(
				file,
				line(block),
				"cannot tell which ReadingType gives this IntervalBlock's unit: its `up` link \
				 names no MeterReading linked to a ReadingType of the file",
			)
		})?;
		for reading in block.children().filter(|n| n.tag_name().name() == "IntervalReading") {
			let at = line(reading);
			let number = |parent: Node, name: &str| -> Result<i64, ImportError> {
				let node = parent.children().find(|n| n.tag_name().name() == name);
				let text = node.and_then(|n| n.text()).unwrap_or_default().trim();
				text.parse().map_err(|_| {
					ImportError::line(
						file,
						node.map_or(at, line),
						format!("<{name}> `{text}` is no whole number"),
					)
				})
			};
			let period =
				reading.children().find(|n| n.tag_name().name() == "timePeriod").ok_or_else(
					|| ImportError::line(file, at, "an IntervalReading without <timePeriod>"),
				)?;
			let (start, duration, value) =
				(number(period, "start")?, number(period, "duration")?, number(reading, "value")?);
			let ms = |seconds: i64| u64::try_from(seconds).ok().and_then(|s| s.checked_mul(1000));
			let (Some(start_ms), Some(end_ms)) =
				(ms(start), start.checked_add(duration).and_then(ms))
			else {
				return Err(ImportError::line(
					file,
					at,
					format!("a time period from {start} s lasting {duration} s is out of range"),
				));
			};
			let wh = value as f64 * unit.scale;
			let mut push = |channel, value| {
				intervals.push(Interval { channel, start_ms, end_ms, value, line: at })
			};
			match unit.flow {
				NET if wh >= 0.0 => {
					push(Channel::GridImport, wh);
					push(Channel::GridExport, 0.0);
				}
				NET => {
					push(Channel::GridImport, 0.0);
					push(Channel::GridExport, -wh);
				}
				_ if wh < 0.0 => {
					return Err(ImportError::line(
						file,
						at,
						format!("a negative value, {value}, of energy flowing one way"),
					))
				}
				REVERSE => push(Channel::GridExport, wh),
				_ => push(Channel::GridImport, wh),
			}
		}
	}
	Ok(intervals)
}

/// The unit of the readings of the block whose `up` link is `up`: that of the `ReadingType`
/// its `MeterReading` is related to.
fn unit_of(
	up: Option<&str>,
	meter_readings: &[(Option<&str>, Vec<&str>)],
	reading_types: &HashMap<&str, Unit>,
) -> Option<Unit> {
	let up = up?;
	let (_, related) = meter_readings.iter().find(|(me, related)| {
		related.contains(&up)
			|| me.is_some_and(|me| up.strip_prefix(me).is_some_and(|rest| rest.starts_with('/')))
	})?;
	related.iter().find_map(|href| reading_types.get(href)).copied()
}

/// A `ReadingType`'s unit, refused unless it is interval energy in Wh.
fn reading_type(node: Node, file: &str, line: usize) -> Result<Unit, ImportError> {
	let field = |name: &str| -> Result<Option<i64>, ImportError> {
		let Some(text) =
			node.children().find(|n| n.tag_name().name() == name).and_then(|n| n.text())
		else {
			return Ok(None);
		};
		text.trim().parse().map(Some).map_err(|_| {
			ImportError::line(file, line, format!("ReadingType <{name}> `{text}` is no number"))
		})
	};
	let refuse = |text: String| Err(ImportError::line(file, line, text));
	match field("uom")? {
		Some(WATT_HOURS) => {}
		Some(other) => {
			return refuse(format!(
				"ReadingType with uom {other}: only energy in Wh (uom 72) is imported"
			))
		}
		None => return refuse("ReadingType without <uom>".into()),
	}
	match field("accumulationBehaviour")? {
		None | Some(DELTA_DATA) => {}
		Some(other) => {
			return refuse(format!(
				"ReadingType with accumulationBehaviour {other}: only interval deltas (4) are \
				 imported, not registers"
			))
		}
	}
	let flow = field("flowDirection")?.unwrap_or(FORWARD);
	if ![FORWARD, NET, REVERSE].contains(&flow) {
		return refuse(format!(
			"ReadingType with flowDirection {flow}: forward (1), net (4) or reverse (19)"
		));
	}
	let power = field("powerOfTenMultiplier")?.unwrap_or(0);
	if !(-9..=9).contains(&power) {
		return refuse(format!("ReadingType with powerOfTenMultiplier {power}: -9 to 9"));
	}
	Ok(Unit { scale: 10f64.powi(power as i32), flow })
}

/// Line numbers of byte positions in `text`, counted on from the position asked before: a
/// document's nodes are visited in order, so a file is scanned about once (counting from the
/// start for every reading took seconds for a year of them).
struct Lines<'a> {
	text: &'a str,
	position: usize,
	line: usize,
}

impl Lines<'_> {
	/// The line (from 1) of byte `position`.
	fn at(&mut self, position: usize) -> usize {
		if position < self.position {
			self.position = 0;
			self.line = 1;
		}
		let end = position.min(self.text.len());
		let newlines = self.text.as_bytes()[self.position..end].iter().filter(|b| **b == b'\n');
		self.line += newlines.count();
		self.position = end;
		self.line
	}
}
