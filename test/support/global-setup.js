module.exports = require('./scratch-dir').setup;
