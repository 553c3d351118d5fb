// schoolgate console: the pages work without this; it only makes "allow for a lesson" easier to fill in.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('allow-form');
  if (!form) {
    return;
  }
  // Typing a device address chooses "one device"; choosing a group chooses "a group".
  var device = form.querySelector('#device');
  var group = form.querySelector('#group');
  device.addEventListener('input', function () {
    form.querySelector('input[name=who][value=device]').checked = device.value.trim() !== '';
    if (device.value.trim() === '') {
      form.querySelector('input[name=who][value=group]').checked = true;
    }
  });
  group.addEventListener('change', function () {
    form.querySelector('input[name=who][value=group]').checked = true;
  });
  // Choosing a time of one's own picks "another time".
  var custom = form.querySelector('#until_custom');
  custom.addEventListener('input', function () {
    form.querySelector('input[name=until][value=custom]').checked = true;
  });
});
