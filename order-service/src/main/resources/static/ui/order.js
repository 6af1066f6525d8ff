// One order: its summary and its timeline, drawn by Mermaid from GET /orders/{id}/timeline, refreshed until it ends.
(function () {
    'use strict';
    const orderId = decodeURIComponent(window.location.pathname.split('/').pop());
    const diagram = document.getElementById('diagram');
    const message = document.getElementById('message');
    const REFRESH_MS = 2000;
    let drawn = null;
    let renders = 0;

    mermaid.initialize({startOnLoad: false, securityLevel: 'strict', theme: 'default',
        sequence: {showSequenceNumbers: false, wrap: true, width: 180}});

    function text(id, value) {
        document.getElementById(id).textContent = value === undefined || value === null || value === '' ? '–' : value;
    }

    function time(instant) {
        return instant ? new Date(instant).toLocaleString() : null;
    }

    async function problem(response) {
        try {
            const body = await response.json();
            return body.detail || body.title || response.statusText;
        } catch (e) {
            return response.status + ' ' + response.statusText;
        }
    }

    async function refresh() {
        let order;
        try {
            const response = await fetch('/orders/' + encodeURIComponent(orderId), {headers: {Accept: 'application/json'}});
            if (!response.ok) {
                message.textContent = await problem(response);
                diagram.dataset.state = 'missing';
                return;
            }
            order = await response.json();
        } catch (e) {
            message.textContent = 'The service does not answer; trying again.';
            setTimeout(refresh, REFRESH_MS);
            return;
        }
        text('status', order.status);
        document.getElementById('status').dataset.status = order.status;
        text('step', order.step);
        text('total', Number(order.total).toFixed(2) + ' ' + order.currency);
        text('placed', time(order.placedAt));
        text('updated', time(order.updatedAt));
        text('last-failure', order.lastFailure);
        text('reason', order.reason);

        const response = await fetch('/orders/' + encodeURIComponent(orderId) + '/timeline', {headers: {Accept: 'text/plain'}});
        if (response.ok) {
            const source = await response.text();
            if (source !== drawn) {
                await draw(source);
            }
        }
        const ended = order.status === 'COMPLETED' || order.status === 'CANCELLED';
        if (!ended) {
            setTimeout(refresh, REFRESH_MS);
        }
    }

    async function draw(source) {
        document.getElementById('source').textContent = source;
        try {
            renders += 1;
            const {svg} = await mermaid.render('timeline-' + renders, source);
            diagram.innerHTML = svg; // Mermaid's own output, rendered with securityLevel 'strict'
            diagram.dataset.state = 'rendered';
            message.textContent = '';
            drawn = source;
        } catch (e) {
            diagram.dataset.state = 'error';
            message.textContent = 'The timeline could not be drawn: ' + (e && e.message ? e.message : e);
        }
    }

    document.getElementById('order-id').textContent = orderId;
    document.getElementById('timeline-link').href = '/orders/' + encodeURIComponent(orderId) + '/timeline';
    document.title = 'Order ' + orderId + ' · order saga';
    refresh();
})();
