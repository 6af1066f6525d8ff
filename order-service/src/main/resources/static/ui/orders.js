// Recent orders, or the ones stuck, with the step each is in; refreshed every few seconds.
(function () {
    'use strict';
    const REFRESH_MS = 5000;
    const body = document.querySelector('#orders tbody');
    const message = document.getElementById('message');
    const status = document.getElementById('status-filter');
    const stuck = document.getElementById('stuck-filter');
    const seconds = document.getElementById('stuck-seconds');
    let timer = null;

    function cell(row, value) {
        const td = document.createElement('td');
        td.textContent = value === undefined || value === null ? '' : value;
        row.appendChild(td);
        return td;
    }

    function time(instant) {
        return instant ? new Date(instant).toLocaleString() : '';
    }

    async function refresh() {
        clearTimeout(timer);
        const query = new URLSearchParams({limit: '100'});
        if (status.value) {
            query.set('status', status.value);
        }
        if (stuck.checked) {
            query.set('stuckForSeconds', seconds.value || '0');
        }
        try {
            const response = await fetch('/orders?' + query, {headers: {Accept: 'application/json'}});
            const answer = await response.json();
            if (!response.ok) {
                message.textContent = answer.detail || answer.title;
            } else {
                message.textContent = answer.length === 0 ? 'No orders.' : '';
                body.replaceChildren(...answer.map(row));
            }
        } catch (e) {
            message.textContent = 'The service does not answer; trying again.';
        }
        timer = setTimeout(refresh, REFRESH_MS);
    }

    function row(order) {
        const tr = document.createElement('tr');
        const link = document.createElement('a');
        link.href = '/ui/orders/' + encodeURIComponent(order.orderId);
        link.textContent = order.orderId;
        cell(tr, '').appendChild(link);
        cell(tr, order.status).dataset.status = order.status;
        cell(tr, order.step);
        cell(tr, time(order.placedAt));
        cell(tr, time(order.updatedAt));
        cell(tr, order.lastEvent);
        cell(tr, order.lastFailure || order.reason);
        return tr;
    }

    for (const input of [status, stuck, seconds]) {
        input.addEventListener('change', refresh);
    }
    document.getElementById('filter').addEventListener('submit', event => {
        event.preventDefault();
        refresh();
    });
    refresh();
})();
