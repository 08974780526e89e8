//! Number and calendar words, shared by [`crate::changes`] and [`crate::disagree`].

const UNITS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Month names, lower case, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const MONTH_SHORT: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether a lower-case word names a month (also abbreviated) or a day of the week.
pub fn is_calendar_word(w: &str) -> bool {
    MONTHS.contains(&w) || MONTH_SHORT.contains(&w) || WEEKDAYS.contains(&w)
}

/// The value of a lower-case number word below a hundred ("five", "forty", "twenty-five").
pub fn word_value(w: &str) -> Option<f64> {
    if let Some(k) = UNITS.iter().position(|u| *u == w) {
        return Some(k as f64);
    }
    if let Some(k) = TENS.iter().position(|u| *u == w) {
        return Some(20.0 + 10.0 * k as f64);
    }
    let (t, u) = w.split_once('-')?;
    let t = TENS.iter().position(|x| *x == t)?;
    let u = UNITS
        .iter()
        .position(|x| *x == u)
        .filter(|&u| (1..10).contains(&u))?;
    Some(20.0 + 10.0 * t as f64 + u as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words() {
        assert_eq!(word_value("zero"), Some(0.0));
        assert_eq!(word_value("nineteen"), Some(19.0));
        assert_eq!(word_value("forty"), Some(40.0));
        assert_eq!(word_value("twenty-five"), Some(25.0));
        assert_eq!(word_value("twenty-zero"), None);
        assert_eq!(word_value("dozen"), None);
    }
}
