// Money arrives as {amount: integer paise, currency}. Rupees and paise come from integer division and remainder
// on BigInt, so no floating-point rounding can creep into what the buyer sees.

const SYMBOLS = { INR: '₹' };

export function toMinor(money) {
	return BigInt(money.amount);
}

/** "₹1,29,900.00" (Indian digit grouping), or "USD 12.50" for a currency without a symbol here. */
export function formatMoney(minor, currency = 'INR') {
	const value = typeof minor === 'bigint' ? minor : BigInt(minor);
	const negative = value < 0n;
	const abs = negative ? -value : value;
	const major = abs / 100n;
	const fraction = (abs % 100n).toString().padStart(2, '0');
	const grouped = groupIndian(major.toString());
	const symbol = SYMBOLS[currency];
	const text = symbol ? `${symbol}${grouped}.${fraction}` : `${currency} ${grouped}.${fraction}`;
	return negative ? `−${text}` : text;
}

export function format(money) {
	return formatMoney(toMinor(money), money.currency);
}

// 12,34,56,789: the last three digits, then groups of two
function groupIndian(digits) {
	if (digits.length <= 3) {
		return digits;
	}
	const last = digits.slice(-3);
	let head = digits.slice(0, -3);
	const groups = [];
	while (head.length > 2) {
		groups.unshift(head.slice(-2));
		head = head.slice(0, -2);
	}
	if (head) {
		groups.unshift(head);
	}
	return `${groups.join(',')},${last}`;
}
