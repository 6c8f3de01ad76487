// The periodic task form: the chosen crontab's schedule in words under its help text, as
// django-celery-beat's template does inline (which the Content Security Policy blocks).
'use strict';
{
    const label = document.currentScript.dataset.label;
    const readable = JSON.parse(document.getElementById('readable-crontabs').textContent);
    const help = document.querySelector('.field-crontab .help');
    const crontab = document.getElementById('id_crontab');
    const translation = document.querySelector('.field-crontab_translation');
    const original = help ? help.textContent : '';
    if (translation) {
        translation.style.display = 'none';
    }
    if (help && crontab) {
        // Text nodes, not HTML: a crontab's description comes from the database.
        crontab.addEventListener('change', () => {
            help.textContent = original;
            help.append(document.createElement('br'), `${label} ${readable[crontab.value]}`);
        });
    }
}
