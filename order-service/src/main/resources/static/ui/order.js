// One order: its summary, lines, progress, events and timeline (drawn by Mermaid from GET /orders/{id}/timeline),
// refreshed until it ends; with the operator credential (opened as /ui/orders/{id}#token=...), the operator's actions.
(function () {
    'use strict';
    const orderId = decodeURIComponent(window.location.pathname.split('/').pop());
    const diagram = document.getElementById('diagram');
    const message = document.getElementById('message');
    const events = document.querySelector('#events tbody');
    const REFRESH_MS = 2000;
    const TOKEN_KEY = 'ordersaga.operator-token';
    let drawn = null;
    let renders = 0;
    let timer = null;

    mermaid.initialize({startOnLoad: false, securityLevel: 'strict', theme: 'default',
        sequence: {showSequenceNumbers: false, wrap: true, width: 180}});

    // The credential from the address's fragment (never sent to the server in the address), kept for this tab only.
    const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    if (fragment.get('token')) {
        sessionStorage.setItem(TOKEN_KEY, fragment.get('token'));
        history.replaceState(null, '', window.location.pathname);
    }
    const token = sessionStorage.getItem(TOKEN_KEY);

    function text(id, value) {
        document.getElementById(id).textContent = value === undefined || value === null || value === '' ? '–' : value;
    }

    /** A time as people read it, with its zone: "12/4/2026, 7:20:01 PM UTC". */
    function time(instant) {
        return instant ? new Date(instant).toLocaleString(undefined, {timeZoneName: 'short'}) : null;
    }

    function money(amount, currency) {
        return Number(amount).toFixed(2) + ' ' + currency;
    }

    async function problem(response) {
        try {
            const body = await response.json();
            return body.detail || body.title || response.statusText;
        } catch (e) {
            return response.status + ' ' + response.statusText;
        }
    }

    function show(order) {
        text('status', order.status);
        document.getElementById('status').dataset.status = order.status;
        text('step', order.step);
        const retry = order.retry;
        text('retry', retry ? retry.step + (retry.target ? ' ' + retry.target : '') + ': attempt ' + retry.attempt
            + ' of ' + retry.maxAttempts + ', ' + retry.attemptsLeft + ' left after it'
            + (retry.attempt !== retry.attemptNumber ? ' (attempt ' + retry.attemptNumber + ' of the order)' : '')
            : null);
        const next = document.getElementById('next-attempt');
        text('next-attempt', retry && retry.nextAttemptAt ? time(retry.nextAttemptAt) : null);
        next.dataset.instant = retry && retry.nextAttemptAt ? retry.nextAttemptAt : '';
        text('customer', order.customerId);
        text('contact', order.contact ? [order.contact.email, order.contact.phone].filter(Boolean).join(', ') : null);
        text('total', money(order.total, order.currency));
        text('tracking', order.trackingNumber);
        text('placed', time(order.placedAt));
        text('updated', time(order.updatedAt));
        text('last-failure', order.lastFailure);
        text('reason', order.reason);
        document.querySelector('#lines tbody').replaceChildren(...(order.items || []).map(item => {
            const tr = document.createElement('tr');
            [item.sku, item.quantity, money(item.unitPrice, order.currency),
                money(Number(item.unitPrice) * item.quantity, order.currency)].forEach(value => {
                const td = document.createElement('td');
                td.textContent = value;
                tr.appendChild(td);
            });
            return tr;
        }));
    }

    /** Appends the events not shown yet: rows already there (and their opened payloads) stay as they are. */
    function showEvents(history) {
        for (let i = events.children.length; i < history.length; i++) {
            const event = history[i];
            const tr = document.createElement('tr');
            tr.className = 'event';
            [String(i + 1), time(event.timestamp), event.aggregateType + ' ' + event.aggregateId + ' #'
            + event.sequenceNumber, event.type].forEach(value => {
                const td = document.createElement('td');
                td.textContent = value;
                tr.appendChild(td);
            });
            const td = document.createElement('td');
            const details = document.createElement('details');
            const summary = document.createElement('summary');
            summary.textContent = 'payload';
            const pre = document.createElement('pre');
            pre.textContent = JSON.stringify(event.payload, null, 2);
            details.append(summary, pre);
            td.appendChild(details);
            tr.appendChild(td);
            events.appendChild(tr);
        }
    }

    async function refresh() {
        clearTimeout(timer);
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
            timer = setTimeout(refresh, REFRESH_MS);
            return;
        }
        show(order);
        const history = await fetch('/orders/' + encodeURIComponent(orderId) + '/history',
            {headers: {Accept: 'application/json'}});
        if (history.ok) {
            showEvents(await history.json());
        }
        const response = await fetch('/orders/' + encodeURIComponent(orderId) + '/timeline', {headers: {Accept: 'text/plain'}});
        if (response.ok) {
            const source = await response.text();
            if (source !== drawn) {
                await draw(source);
            }
        }
        const ended = order.status === 'COMPLETED' || order.status === 'CANCELLED';
        document.getElementById('actions').dataset.ended = String(ended);
        if (!ended) {
            timer = setTimeout(refresh, REFRESH_MS);
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

    // The operator's actions: each asks for a confirmation (and, to cancel, a reason) before it is sent.
    const QUESTIONS = {
        retry: 'Attempt the waiting step of this order now, with a fresh set of attempts?',
        skip: 'Skip the waiting e-mail or SMS of this order? The order goes on without it.',
        cancel: 'Cancel this order? What was done is undone, in reverse order. The reason is required.'
    };
    const dialog = document.getElementById('confirm');
    let pending = null;

    function ask(action) {
        pending = action;
        document.getElementById('confirm-question').textContent = QUESTIONS[action];
        document.getElementById('confirm-reason').required = action === 'cancel';
        document.getElementById('confirm-reason').value = '';
        dialog.showModal();
    }

    async function act(action, operator, reason) {
        const body = {};
        if (operator) {
            body.operator = operator;
        }
        if (reason) {
            body.reason = reason;
        }
        const result = document.getElementById('action-result');
        try {
            const response = await fetch('/admin/orders/' + encodeURIComponent(orderId) + '/' + action, {
                method: 'POST',
                headers: {'Content-Type': 'application/json', Accept: 'application/json',
                    Authorization: 'Bearer ' + token},
                body: JSON.stringify(body)
            });
            if (response.ok) {
                const decision = await response.json();
                result.textContent = action + (decision.repeated ? ' was already under way' : ' recorded')
                    + (decision.steps.length ? ': ' + decision.steps.join(', ') : '');
                result.dataset.outcome = 'recorded';
            } else {
                result.textContent = await problem(response);
                result.dataset.outcome = 'refused';
            }
        } catch (e) {
            result.textContent = 'The service does not answer.';
            result.dataset.outcome = 'failed';
        }
        refresh();
    }

    if (token) {
        document.getElementById('actions').hidden = false;
        document.querySelectorAll('#actions button[data-action]').forEach(button =>
            button.addEventListener('click', () => ask(button.dataset.action)));
        document.getElementById('confirm-back').addEventListener('click', () => dialog.close());
        document.getElementById('confirm-form').addEventListener('submit', () => {
            const operator = document.getElementById('confirm-operator').value.trim();
            const reason = document.getElementById('confirm-reason').value.trim();
            if (pending) {
                act(pending, operator, reason);
                pending = null;
            }
        });
    }

    document.getElementById('order-id').textContent = orderId;
    document.getElementById('timeline-link').href = '/orders/' + encodeURIComponent(orderId) + '/timeline';
    document.title = 'Order ' + orderId + ' · order saga';
    refresh();
})();
