# Countersign demo workspace: a small production stack. Nothing here is ever applied — the `terraform`
# on this sandbox's PATH is demo/bin/terraform, a stand-in that prints canned output.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "orders" {
  identifier          = "orders-prod"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.r6g.large"
  allocated_storage   = 200
  deletion_protection = false
  skip_final_snapshot = true
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices-prod"
}

resource "aws_instance" "api" {
  ami           = "ami-0c1bc246476a5572b"
  instance_type = "t3.medium"
  tags = {
    Name = "api-prod"
  }
}
