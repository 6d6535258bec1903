module.exports = require('./scratch-dir').teardown;
