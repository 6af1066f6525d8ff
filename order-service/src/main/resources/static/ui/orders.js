// Orders: searched by id and customer, counted per status, paged with the list's cursor (its Link header); the first
// page is refreshed every few seconds.
(function () {
    'use strict';
    const REFRESH_MS = 5000;
    const PAGE = 50;
    const body = document.querySelector('#orders tbody');
    const message = document.getElementById('message');
    const status = document.getElementById('status-filter');
    const stuck = document.getElementById('stuck-filter');
    const seconds = document.getElementById('stuck-seconds');
    const customer = document.getElementById('customer-filter');
    const next = document.getElementById('next-page');
    const first = document.getElementById('first-page');
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    let timer = null;
    let page = null;       // the address of the page shown; null: the first page
    let nextPage = null;   // the address of the next one, from the Link header
    let pageNumber = 1;

    function cell(row, value) {
        const td = document.createElement('td');
        td.textContent = value === undefined || value === null ? '' : value;
        row.appendChild(td);
        return td;
    }

    /** A time as people read it, with its zone: "12/4/2026, 7:20:01 PM UTC". */
    function time(instant) {
        return instant ? new Date(instant).toLocaleString(undefined, {timeZoneName: 'short'}) : '';
    }

    function firstPage() {
        const query = new URLSearchParams({limit: String(PAGE)});
        if (status.value) {
            query.set('status', status.value);
        }
        if (stuck.checked) {
            query.set('stuckForSeconds', seconds.value || '0');
        }
        if (customer.value.trim()) {
            query.set('customerId', customer.value.trim());
        }
        return '/orders?' + query;
    }

    async function counts() {
        const query = customer.value.trim() ? '?' + new URLSearchParams({customerId: customer.value.trim()}) : '';
        try {
            const response = await fetch('/orders/counts' + query, {headers: {Accept: 'application/json'}});
            if (response.ok) {
                const answer = await response.json();
                const element = document.getElementById('counts');
                element.replaceChildren();
                Object.entries(answer.byStatus).forEach(([name, count]) => {
                    const span = document.createElement('span');
                    span.className = 'count';
                    span.dataset.status = name;
                    span.textContent = name + ' ' + count;
                    element.append(span, ' ');
                });
                const total = document.createElement('span');
                total.className = 'count';
                total.textContent = 'total ' + answer.total;
                element.appendChild(total);
            }
        } catch (e) {
            // the list says that the service does not answer
        }
    }

    async function refresh() {
        clearTimeout(timer);
        counts();
        try {
            const response = await fetch(page || firstPage(), {headers: {Accept: 'application/json'}});
            const answer = await response.json();
            if (!response.ok) {
                message.textContent = answer.detail || answer.title;
            } else {
                message.textContent = answer.length === 0 ? 'No orders.' : '';
                body.replaceChildren(...answer.map(row));
                const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('Link') || '');
                nextPage = link ? link[1] : null;
                next.disabled = nextPage === null;
                first.disabled = page === null;
                document.getElementById('page-number').textContent = 'page ' + pageNumber;
            }
        } catch (e) {
            message.textContent = 'The service does not answer; trying again.';
        }
        if (page === null) {
            timer = setTimeout(refresh, REFRESH_MS);
        }
    }

    function row(order) {
        const tr = document.createElement('tr');
        const link = document.createElement('a');
        link.href = '/ui/orders/' + encodeURIComponent(order.orderId);
        link.textContent = order.orderId;
        cell(tr, '').appendChild(link);
        cell(tr, order.customerId);
        cell(tr, order.status).dataset.status = order.status;
        cell(tr, order.step);
        cell(tr, time(order.placedAt));
        cell(tr, time(order.updatedAt));
        cell(tr, order.lastEvent);
        cell(tr, order.lastFailure || order.reason);
        return tr;
    }

    function restart() {
        page = null;
        pageNumber = 1;
        refresh();
    }

    document.getElementById('find').addEventListener('submit', event => {
        event.preventDefault();
        const id = document.getElementById('order-search').value.trim().toLowerCase();
        if (UUID.test(id)) {
            window.location.href = '/ui/orders/' + encodeURIComponent(id);
        } else {
            message.textContent = 'An order id looks like 7d3c1a52-3f5e-4b8a-9c21-1f2e3d4c5b6a.';
        }
    });
    document.getElementById('filter').addEventListener('submit', event => {
        event.preventDefault();
        restart();
    });
    [status, stuck, seconds].forEach(input => input.addEventListener('change', restart));
    next.addEventListener('click', () => {
        if (nextPage) {
            page = nextPage;
            pageNumber += 1;
            refresh();
        }
    });
    first.addEventListener('click', restart);
    refresh();
})();
