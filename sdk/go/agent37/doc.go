// Manage Agent37 instances (AI-agent hosting) and the commands run in them.
package agent37
